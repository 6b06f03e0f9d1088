package dev.topiary.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.HangingTransactions;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.testing.CommittedValues;
import dev.topiary.runtime.testing.HangingTransactionScene;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured embedded broker (SASL_SSL, SCRAM-SHA-512, ACLs) as {@code topiary up --secure} starts
 * it: the generated client.properties publishes and watches; no credentials, a wrong password or
 * no TLS are refused; a user without a write ACL cannot publish, nor see into a topic it may not read
 * (a hanging-transaction sweep names it), and its sweep leaves alone a live transaction it may not ask
 * about; the data stays secured.
 */
class SecureBrokerTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheUserWithItsCredentialsOverTlsAndAclsGetsIn() throws Exception {
        long t0 = System.nanoTime();
        BrokerSecurity security = BrokerSecurity.prepare(dir.resolve("security"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("security").resolve(BrokerSecurity.SECRETS))));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Map.of(), security)) {
            System.out.printf("secured broker made and started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String bootstrap = broker.bootstrapServers();
            KafkaSettings user = KafkaSettings.of(bootstrap, security.clientProperties());

            // the generated client.properties: create a topic, publish (a transaction), watch
            try (TopicAdmin admin = new TopicAdmin(user)) {
                admin.ensure(List.of("models.secure", "topiary.artifacts"), 1);
            }
            ModelVersion sent = TextModels.publish(user, "models.secure", "accuracy=0.9");
            try (TopicReader reader = new TopicReader(user)) {
                reader.open("models.secure", true);
                assertEquals(sent.getId(), reader.awaitVersions(1, v -> true, Duration.ofSeconds(30)).get(0).getId());
            }

            // refused: nothing at all, TLS without SASL, SASL without TLS (each a time-out: checked side by side)
            Map<String, Object> tlsOnly = new HashMap<>(security.clientSettings("x", "y"));
            tlsOnly.keySet().removeIf(k -> k.startsWith("sasl."));
            tlsOnly.put("security.protocol", "SSL");
            Map<String, Object> noTls = new HashMap<>(security.clientSettings(BrokerSecurity.USER,
                    security.password(BrokerSecurity.USER)));
            noTls.put("security.protocol", "SASL_PLAINTEXT");
            List<CompletableFuture<Void>> refusals = List.of(Map.<String, Object>of(), tlsOnly, noTls).stream()
                    .map(settings -> CompletableFuture.runAsync(() -> assertNoAccess(bootstrap, settings)))
                    .toList();
            for (CompletableFuture<Void> f : refusals) {
                f.join();
            }
            // and a wrong password, at once and by name
            ExecutionException wrong = assertThrows(ExecutionException.class, () -> listTopics(bootstrap,
                    security.clientSettings(BrokerSecurity.USER, "not-the-password")));
            assertInstanceOf(SaslAuthenticationException.class, wrong.getCause(), wrong.toString());

            // a second user who may only read models.secure cannot publish to it
            try (Admin admin = admin(bootstrap, security.adminSettings())) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("reader",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "reader-password"))).all().get();
                ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, "models.secure", PatternType.LITERAL);
                admin.createAcls(List.of(BrokerAcls.allow(topic, "User:reader", AclOperation.READ),
                        BrokerAcls.allow(topic, "User:reader", AclOperation.DESCRIBE),
                        BrokerAcls.allow(new ResourcePattern(ResourceType.TOPIC, "topiary.artifacts", PatternType.LITERAL),
                                "User:reader", AclOperation.DESCRIBE))).all().get();
            }
            Map<String, Object> reader = new HashMap<>(security.clientSettings("reader", "reader-password"));
            reader.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            reader.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            // an idempotent producer would be refused at its id request (cluster ACL), before any topic write
            reader.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(reader, new StringSerializer(),
                    new ByteArraySerializer())) {
                ExecutionException denied = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>("models.secure", "k", new byte[] {1})).get(20, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, denied.getCause(), denied.toString());
            }
            // a hanging-transaction sweep by this user: it may see topiary.artifacts but not read it, so it says it could
            // not look there; it may not describe transactional ids, so a live transaction it cannot ask about is left open
            try (Admin readerAdmin = admin(bootstrap, security.clientSettings("reader", "reader-password"));
                 KafkaProducer<String, byte[]> live = HangingTransactionScene.transactional(user, "live", Duration.ofMinutes(1))) {
                live.beginTransaction();
                live.send(new ProducerRecord<>("models.secure", "k", "live".getBytes())).get();
                HangingTransactions sweep = new HangingTransactions(readerAdmin, Duration.ofSeconds(1), HangingTransactions.Unknown.UNSURE);
                sweep.find();
                assertEquals(Set.of(new TopicPartition("topiary.artifacts", 0)), sweep.missed().keySet());
                String why = sweep.missed().values().iterator().next();
                assertTrue(why.contains("authoriz"), why);
                Thread.sleep(1_100);
                assertEquals(List.of(), sweep.sweep(), "nothing it cannot be sure of is aborted");
                assertEquals(List.of(new TopicPartition("models.secure", 0)),
                        sweep.unsure().stream().map(h -> h.transaction().partition()).toList());
                live.commitTransaction();
            }
            assertTrue(CommittedValues.read(user, "models.secure", 2, Duration.ofSeconds(10)).contains("live"),
                    "the live transaction committed whole");
        }
        // secured data cannot be opened unsecured
        IllegalStateException open = assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0).close());
        assertTrue(open.getMessage().contains("start it secured"), open.getMessage());
    }

    private static void assertNoAccess(String bootstrap, Map<String, Object> settings) {
        assertThrows(ExecutionException.class, () -> listTopics(bootstrap, settings), "refused: " + settings.keySet());
    }

    private static void listTopics(String bootstrap, Map<String, Object> settings) throws Exception {
        try (Admin admin = admin(bootstrap, settings)) {
            admin.listTopics().names().get(20, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(String bootstrap, Map<String, Object> settings) {
        Map<String, Object> conf = new HashMap<>(settings);
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        return Admin.create(conf);
    }
}
