package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.Producer;

/**
 * Content-addressed storage of model artifacts. Events carry an {@link ArtifactRef} (a claim
 * check), never the weights: Kafka's records are capped at about 1 MB and models are larger.
 *
 * <p>Both directions stream, so an artifact of hundreds of megabytes is never copied whole more
 * than once in memory: a store reads the bytes it writes from a stream, and pours the bytes it
 * reads into an {@link ArtifactSink}, which counts them against the size the event declares and
 * the configured maximum as they arrive, hashes them, and gives them out only once the SHA-256
 * matches. Nothing downstream ever deserializes bytes that are not the ones the event names.
 *
 * <p>A store honours only its own places: a ref it does not own (a file outside its directory,
 * another topic) is refused with {@link OutsideStoreException} before anything is opened.
 */
public interface ArtifactStore extends AutoCloseable {
    /** The largest artifact this store writes or reads. */
    long maxBytes();

    /**
     * Stores the {@code size} bytes read from {@code bytes}, whose SHA-256 (lower-case hex) the
     * caller has computed as {@code sha256}. The kafka store writes through {@code transaction}, a
     * producer whose transaction is open, so the artifact commits (or aborts) with the event naming it.
     */
    ArtifactRef store(InputStream bytes, long size, String sha256, ModelFormat format,
                      Producer<String, byte[]> transaction);

    /**
     * Streams the stored bytes {@code ref} names into {@code sink}, unverified: the sink checks
     * them. Throws {@link OutsideStoreException} for a ref outside this store, {@link
     * ArtifactUnavailableException} when the store does not answer, {@link ArtifactException}
     * when the artifact is missing or malformed.
     */
    void readInto(ArtifactRef ref, ArtifactSink sink);

    default ArtifactRef put(byte[] bytes, ModelFormat format, Producer<String, byte[]> transaction) {
        return store(new ByteArrayInputStream(bytes), bytes.length, Sha256.hex(bytes), format, transaction);
    }

    /** Stores a file without reading it into memory: one pass to hash it, one to store it. */
    default ArtifactRef put(Path file, ModelFormat format, Producer<String, byte[]> transaction) {
        try {
            String sha = Sha256.hex(file);
            try (InputStream in = Files.newInputStream(file)) {
                return store(in, Files.size(file), sha, format, transaction);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns {@code existing} when {@code bytes} are the artifact it names (a stage that changed
     * nothing), else stores them: content addressing without hashing the bytes twice.
     */
    default ArtifactRef putUnlessStored(byte[] bytes, ModelFormat format, Producer<String, byte[]> transaction,
            ArtifactRef existing) {
        String sha = Sha256.hex(bytes);
        return sha.equals(existing.getSha256())
                ? existing
                : store(new ByteArrayInputStream(bytes), bytes.length, sha, format, transaction);
    }

    /** Fetches into memory and verifies; throws {@link ArtifactException} naming both hashes on a mismatch. */
    default byte[] get(ArtifactRef ref) {
        try (ArtifactSink sink = ArtifactSink.inMemory(ref, maxBytes())) {
            readInto(ref, sink);
            return sink.verifiedBytes();
        }
    }

    /** Fetches into {@code target} and verifies; the file appears only once the bytes are verified. */
    default void getTo(ArtifactRef ref, Path target) {
        try (ArtifactSink sink = ArtifactSink.toFile(ref, maxBytes(), target)) {
            readInto(ref, sink);
            sink.verifiedFile();
        }
    }

    @Override
    default void close() {}

    /** Refuses, before anything is read or allocated, an artifact larger than {@code maxBytes}. */
    static void requireWithin(String what, long size, long maxBytes) {
        if (size < 0 || size > maxBytes) {
            throw new ArtifactException(what + " is " + size + " bytes, over the configured maximum of " + maxBytes);
        }
    }
}
