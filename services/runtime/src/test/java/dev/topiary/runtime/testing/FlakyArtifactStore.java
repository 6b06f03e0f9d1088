package dev.topiary.runtime.testing;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import dev.topiary.runtime.artifact.ArtifactSink;
import dev.topiary.runtime.artifact.ArtifactStore;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A real store whose reads fail the first {@code failures} times the way the kafka store fails
 * when its broker does not answer (Kafka's retriable {@link TimeoutException}), then work.
 */
public final class FlakyArtifactStore implements ArtifactStore {
    private final ArtifactStore delegate;
    private final int failures;
    private final AtomicInteger reads = new AtomicInteger();

    public FlakyArtifactStore(ArtifactStore delegate, int failures) {
        this.delegate = delegate;
        this.failures = failures;
    }

    /** Reads attempted so far, failed or not. */
    public int reads() {
        return reads.get();
    }

    @Override
    public long maxBytes() {
        return delegate.maxBytes();
    }

    @Override
    public ArtifactRef store(InputStream bytes, long size, String sha256, ModelFormat format,
                             Producer<String, byte[]> transaction) {
        return delegate.store(bytes, size, sha256, format, transaction);
    }

    @Override
    public void readInto(ArtifactRef ref, ArtifactSink sink) {
        int n = reads.incrementAndGet();
        if (n <= failures) {
            throw new TimeoutException("test: artifact store unavailable (read " + n + " of " + failures + " that fail)");
        }
        delegate.readInto(ref, sink);
    }
}
