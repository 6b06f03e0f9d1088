package dev.topiary.runtime.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts stream through the stores, and sizes are enforced as the bytes arrive: a declared size
 * over the maximum is refused before anything is fetched, and a stored artifact longer than its
 * event declares is refused at the first byte too many, not after it has all been read.
 */
class ArtifactStreamingTest {
    private static final int SIZE = 3 * 1024 * 1024 + 17; // four chunks on the topic

    private final KafkaSettings kafka = TestBroker.settings();

    @TempDir
    Path dir;

    @Test
    void theKafkaStoreStreamsAndStopsAtTheDeclaredSize() throws Exception {
        String topic = TestBroker.unique("artifacts");
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensure(List.of(topic));
        }
        KafkaArtifactStore store = new KafkaArtifactStore(kafka, topic, 8L << 20);
        byte[] bytes = randomBytes();
        ArtifactRef ref;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                kafka.transactionalProducer("test-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            ref = store.put(bytes, ModelFormat.OPAQUE, producer);
            producer.commitTransaction();
        }
        assertTrue(ref.getUri().endsWith("?chunks=4"), ref.getUri());
        assertArrayEquals(bytes, store.get(ref));
        Path pulled = dir.resolve("pulled.bin");
        store.getTo(ref, pulled);
        assertArrayEquals(bytes, Files.readAllBytes(pulled));

        // an event that understates the size: the read stops within the first chunk past the claim
        ArtifactRef understated = new ArtifactRef(ref.getUri(), ref.getSha256(), 1_000_000L, ref.getFormat());
        try (ArtifactSink sink = ArtifactSink.inMemory(understated, store.maxBytes())) {
            ArtifactException e = assertThrows(ArtifactException.class, () -> store.readInto(understated, sink));
            assertTrue(e.getMessage().contains("holds more than the 1000000 bytes its event declares"), e.getMessage());
            assertTrue(sink.written() <= 1_000_000L, "read " + sink.written() + " bytes of " + SIZE);
        }

        // a declared size over the maximum: refused before anything is allocated or fetched
        KafkaArtifactStore small = new KafkaArtifactStore(kafka, topic, 1L << 20);
        ArtifactException over = assertThrows(ArtifactException.class, () -> small.get(ref));
        assertTrue(over.getMessage().contains("over the configured maximum of 1048576"), over.getMessage());
        ArtifactException put = assertThrows(ArtifactException.class, () -> small.put(bytes, ModelFormat.OPAQUE, null));
        assertTrue(put.getMessage().contains("over the configured maximum"), put.getMessage());
    }

    @Test
    void theFileStoreStreamsAndRefusesASizeThatDiffersFromTheClaimBeforeReading() throws Exception {
        FileArtifactStore store = new FileArtifactStore(dir.resolve("store"), 8L << 20);
        byte[] bytes = randomBytes();
        ArtifactRef ref = store.put(bytes, ModelFormat.OPAQUE, null);
        Path pulled = dir.resolve("pulled.bin");
        store.getTo(ref, pulled);
        assertArrayEquals(bytes, Files.readAllBytes(pulled));

        ArtifactRef understated = new ArtifactRef(ref.getUri(), ref.getSha256(), 1_000_000L, ref.getFormat());
        try (ArtifactSink sink = ArtifactSink.inMemory(understated, store.maxBytes())) {
            ArtifactException e = assertThrows(ArtifactException.class, () -> store.readInto(understated, sink));
            assertTrue(e.getMessage().contains("holds " + SIZE + " bytes but its event declares 1000000"), e.getMessage());
            assertTrue(sink.written() == 0, "nothing read");
        }
        ArtifactException over = assertThrows(ArtifactException.class,
                () -> new FileArtifactStore(dir.resolve("store"), 1L << 20).get(ref));
        assertTrue(over.getMessage().contains("over the configured maximum of 1048576"), over.getMessage());
        // a failed pull leaves no file behind
        Path never = dir.resolve("never.bin");
        assertThrows(ArtifactException.class, () -> store.getTo(
                new ArtifactRef(ref.getUri(), "0".repeat(64), ref.getSizeBytes(), ref.getFormat()), never));
        assertTrue(!Files.exists(never));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no part file left");
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}
