package dev.topiary.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real single-node KRaft broker: transactions, large records, and data surviving a restart. */
class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "models.test";

    @TempDir
    Path dir;

    @Test
    void transactionalRecordSurvivesRestart() throws Exception {
        String clusterId;
        int firstPort;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            report("first start (format)", broker.startupTime());
            clusterId = broker.clusterId();
            firstPort = broker.port();
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
            assertTrue(Files.exists(dir.resolve("meta.properties")), "storage formatted");

            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
                // retention is forever unless a topic says otherwise
                Config cfg = topicConfig(admin, TOPIC);
                assertEquals("-1", cfg.get(TopicConfig.RETENTION_MS_CONFIG).value());
            }

            // an aborted transaction must stay invisible to read_committed, a committed one visible
            try (KafkaProducer<String, String> producer = transactionalProducer(broker, "tx-test")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "lineage-1", "aborted"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "lineage-1", "committed"));
                producer.commitTransaction();
            }
            assertEquals(List.of("committed"), readCommitted(broker, "g1", 1));

            // the single-node settings really are in force
            try (Admin admin = admin(broker)) {
                ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
                Config cfg = admin.describeConfigs(List.of(node)).all().get().get(node);
                assertEquals("false", cfg.get("auto.create.topics.enable").value());
                assertEquals(String.valueOf(2 * 1024 * 1024), cfg.get("message.max.bytes").value());
                assertEquals("-1", cfg.get("log.retention.ms").value());
                assertEquals("0", cfg.get("group.initial.rebalance.delay.ms").value());
                assertEquals("1", cfg.get("transaction.state.log.replication.factor").value());
                assertEquals("4", cfg.get("transaction.state.log.num.partitions").value());
            }
        }
        // the port is free again after close
        assertPortFree(firstPort);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            report("restart (existing data)", broker.startupTime());
            assertEquals(clusterId, broker.clusterId(), "cluster id reused");
            try (Admin admin = admin(broker)) {
                assertEquals(clusterId, admin.describeCluster().clusterId().get());
                assertTrue(admin.listTopics().names().get().contains(TOPIC));
            }
            assertEquals(List.of("committed"), readCommitted(broker, "g2", 1));
            // a new transactional producer with the same id fences the old epoch and works after restart
            try (KafkaProducer<String, String> producer = transactionalProducer(broker, "tx-test")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "lineage-1", "after-restart"));
                producer.commitTransaction();
            }
            assertEquals(List.of("committed", "after-restart"), readCommitted(broker, "g3", 2));
        }
    }

    @Test
    void acceptsOneMebibyteChunkWithHeaders() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
             Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("artifacts", 1, (short) 1))).all().get();
            byte[] chunk = new byte[1024 * 1024];
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafkaBroker.MESSAGE_MAX_BYTES);
            try (KafkaProducer<byte[], byte[]> producer =
                         new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>("artifacts", "sha".getBytes(), chunk);
                rec.headers().add("topiary.sha256", new byte[64]).add("topiary.chunk", "0/1".getBytes());
                producer.send(rec).get();
            }
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "big");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> consumer =
                         new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("artifacts"));
                int size = -1;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (size < 0 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        size = r.value().length;
                    }
                }
                assertEquals(chunk.length, size);
            }
        }
    }

    @Test
    void fixedPortIsUsedAndBusyPortIsReportedClearly() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, port)) {
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(dir.resolve("other"), port));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        }
    }

    @Test
    void secondBrokerOnTheSameDirectoryIsRefusedAndTheFirstKeepsWorking() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(dir, 0).close());
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("still.working", 1, (short) 1))).all().get();
            }
        }
    }

    @Test
    void refusesOverridesOfItsOwnWiring() {
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafkaBroker.start(dir, 0, Map.of("listeners", "PLAINTEXT://0.0.0.0:9092")));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedKafkaBroker.start(dir, -1));
    }

    @Test
    void closeIsIdempotent() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
        assertTrue(broker.isRunning());
        broker.close();
        broker.close();
        assertFalse(broker.isRunning());
        assertNotEquals(0, broker.port());
    }

    @Test
    void kafkaFatalHaltStopsTheBrokerNotTheJvm() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
        try {
            // what Kafka's ProcessTerminatingFaultHandler and LogManager do on a fatal fault
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> org.apache.kafka.common.utils.internals.Exit.halt(1, "simulated fatal fault"));
            assertTrue(e.getMessage().contains("simulated fatal fault"), e.getMessage());
            assertTrue(broker.fatalFault().contains("halt(1)"), broker.fatalFault());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (broker.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(broker.isRunning(), "broker stopped after the fatal fault");
            assertPortFree(broker.port());
        } finally {
            broker.close();
        }
        // and the data directory is still usable
        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(dir, 0)) {
            assertTrue(again.isRunning());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static void report(String what, Duration d) {
        System.out.printf("EmbeddedKafkaBroker %s: started in %d ms%n", what, d.toMillis());
    }

    /**
     * The topic's configuration, once the broker knows the topic: createTopics returns when the
     * controller has it, and the broker's metadata may follow a moment later.
     */
    private static Config topicConfig(Admin admin, String name) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                return admin.describeConfigs(List.of(topic)).all().get().get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafkaBroker broker, String txId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static List<String> readCommitted(EmbeddedKafkaBroker broker, String group, int expected) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            // give an (incorrectly) visible aborted record a moment to show up
            consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, s.getLocalPort());
        }
    }
}
