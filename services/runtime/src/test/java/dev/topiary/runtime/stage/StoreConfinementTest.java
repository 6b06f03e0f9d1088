package dev.topiary.runtime.stage;

import static dev.topiary.runtime.testing.DeadLetterWait.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events forged by any Kafka client (here a plain KafkaProducer and Avro's own encoder, no
 * Topiary code) cannot make a stage read outside its stores. The places outside are FIFOs: had
 * the store opened one, the read would block forever and the dead letters would never come.
 */
class StoreConfinementTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @TempDir
    Path temp;

    @Test
    void urisOutsideTheStoresAreDeadLetteredWithoutBeingOpened() throws Exception {
        Path store = Files.createDirectories(temp.resolve("store"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path fifo = mkfifo(outside.resolve("pipe"));
        Path secret = Files.writeString(outside.resolve("secret.txt"), "accuracy=0.99");
        Files.createDirectories(store.resolve("ab"));
        Path link = Files.createSymbolicLink(store.resolve("ab").resolve("link"), fifo);

        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        String otherTopic = TestBroker.unique("not-artifacts");
        StageBinding b = new StageBinding("p", TestBroker.unique("stage"), "test-copy", List.of(in), Set.of(out),
                Map.of(), "none", (m, p) -> out);
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensure(List.of(otherTopic));
        }
        Artifacts files = Artifacts.files(kafka, store, Artifacts.DEFAULT_MAX_BYTES);
        try (RunningStage stage = new RunningStage(b, RunningStage.copyOf(b), kafka, 1, files, RetryPolicy.DEFAULT);
             KafkaProducer<String, byte[]> forger = new KafkaProducer<>(Map.of(
                     "bootstrap.servers", kafka.bootstrap(),
                     "key.serializer", StringSerializer.class, "value.serializer", ByteArraySerializer.class));
             TopicReader reader = new TopicReader(kafka)) {
            byte[] secretBytes = Files.readAllBytes(secret);
            String empty = sha256(new byte[0]);
            forge(forger, in, "file://" + secret, sha256(secretBytes), secretBytes.length);
            forge(forger, in, "file://" + store + "/ab/../../outside/pipe", empty, 0);
            forge(forger, in, link.toUri().toString(), empty, 0);
            // real chunks with the true hash, but on a topic that is not the artifacts topic
            RecordHeaders chunk = new RecordHeaders();
            chunk.add("topiary.sha256", sha256(secretBytes).getBytes(StandardCharsets.UTF_8));
            chunk.add("topiary.chunk", "0/1".getBytes(StandardCharsets.UTF_8));
            forger.send(new ProducerRecord<>(otherTopic, null, sha256(secretBytes), secretBytes, chunk)).get();
            forge(forger, in, "kafka://" + otherTopic + "/0/0?chunks=1", sha256(secretBytes), secretBytes.length);
            forge(forger, in, "http://example.com/model.zip", sha256(secretBytes), secretBytes.length);

            ModelVersion good;
            try (VersionPublisher publisher = new VersionPublisher(kafka, files)) {
                good = publisher.publish(TextModels.root("accuracy=0.5"), in);
            }
            reader.open(out, true);
            ModelVersion v = reader.awaitVersions(1, x -> true, Duration.ofSeconds(60)).get(0);
            assertEquals(List.of(good.getId()), v.getParents(), "the store's own artifact is processed");

            List<ConsumerRecord<String, byte[]>> dead = DeadLetterWait.await(kafka, in, 5);
            for (ConsumerRecord<String, byte[]> d : dead) {
                String error = header(d, DeadLetterHeaders.ERROR);
                assertEquals("outside-store", header(d, DeadLetterHeaders.FAILURE), error);
                assertTrue(error.contains("outside the store"), error);
            }
            assertTrue(header(dead.get(1), DeadLetterHeaders.ERROR).contains("outside the artifact directory"));
            assertTrue(header(dead.get(2), DeadLetterHeaders.ERROR).contains("resolves to " + fifo.toRealPath()),
                    header(dead.get(2), DeadLetterHeaders.ERROR));
            assertTrue(header(dead.get(3), DeadLetterHeaders.ERROR).contains(otherTopic));
        }
    }

    private static void forge(KafkaProducer<String, byte[]> forger, String topic, String uri, String sha, long size)
            throws Exception {
        ModelVersion v = ModelVersion.newBuilder()
                .setId("v-forged").setParents(List.of()).setLineage("v-forged").setPipeline("").setStage("publish")
                .setOperation(new Operation(OperationKind.IMPORT, Map.of()))
                .setArtifact(new ArtifactRef(uri, sha, size, ModelFormat.OPAQUE))
                .setArchitecture(List.of()).setMetrics(new Metrics(null, Map.of())).setChanges(Map.of())
                .setCreatedAt(Instant.now()).setProducer(new Producer("forger", "1")).setLabels(Map.of())
                .build();
        ByteBuffer encoded = v.toByteBuffer(); // Avro's single-object encoding
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        forger.send(new ProducerRecord<>(topic, v.getLineage(), bytes)).get();
    }

    private static Path mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo " + path);
        return path;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
