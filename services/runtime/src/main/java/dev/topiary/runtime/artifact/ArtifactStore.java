package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import org.apache.kafka.clients.producer.Producer;

/**
 * Content-addressed storage of model artifacts. Events carry an {@link ArtifactRef} (a claim
 * check), never the weights: Kafka's records are capped at about 1 MB and models are larger.
 *
 * <p>A get verifies the SHA-256 before returning anything, so nothing downstream ever
 * deserializes bytes that are not the ones the event names.
 */
public interface ArtifactStore extends AutoCloseable {
    /**
     * Stores {@code bytes}. The kafka store writes through {@code transaction}, a producer whose
     * transaction is open, so the artifact commits (or aborts) together with the event naming it.
     */
    default ArtifactRef put(byte[] bytes, ModelFormat format, Producer<String, byte[]> transaction) {
        return store(bytes, Sha256.hex(bytes), format, transaction);
    }

    /**
     * Returns {@code existing} when {@code bytes} are the artifact it names (a stage that changed
     * nothing), else stores them: content addressing without hashing the bytes twice.
     */
    default ArtifactRef putUnlessStored(byte[] bytes, ModelFormat format, Producer<String, byte[]> transaction,
            ArtifactRef existing) {
        String sha = Sha256.hex(bytes);
        return sha.equals(existing.getSha256()) ? existing : store(bytes, sha, format, transaction);
    }

    /** Stores {@code bytes} whose SHA-256 (lower-case hex) the caller has computed as {@code sha256}. */
    ArtifactRef store(byte[] bytes, String sha256, ModelFormat format, Producer<String, byte[]> transaction);

    /** Fetches and verifies; throws {@link ArtifactException} naming both hashes on a mismatch. */
    byte[] get(ArtifactRef ref);

    @Override
    default void close() {}

    /** Shared by every store: refuses what is too large and what does not match its address. */
    static void verify(ArtifactRef ref, byte[] bytes, long maxBytes) {
        if (bytes.length > maxBytes) {
            throw new ArtifactException("artifact " + ref.getUri() + " is " + bytes.length
                    + " bytes, over the configured maximum of " + maxBytes);
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(ref.getSha256())) {
            throw new ArtifactException("artifact " + ref.getUri() + " is corrupt: expected sha256 "
                    + ref.getSha256() + " but the stored bytes hash to " + actual);
        }
    }
}
