package dev.topiary.runtime.testing;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import dev.topiary.runtime.artifact.ArtifactSink;
import dev.topiary.runtime.artifact.ArtifactStore;
import java.io.InputStream;
import org.apache.kafka.clients.producer.Producer;

/**
 * A real store that, once it has written an artifact into the open transaction, says so on
 * stdout and hangs: the moment a crash hurts most, with records of an uncommitted transaction
 * on the artifacts topic that read_committed readers cannot get past.
 */
public final class CommitHangingStore implements ArtifactStore {
    public static final String HANGING = "HANGING IN TRANSACTION";
    private final ArtifactStore delegate;

    public CommitHangingStore(ArtifactStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public long maxBytes() {
        return delegate.maxBytes();
    }

    @Override
    public ArtifactRef store(InputStream bytes, long size, String sha256, ModelFormat format,
                             Producer<String, byte[]> transaction) {
        ArtifactRef ref = delegate.store(bytes, size, sha256, format, transaction);
        System.out.println(HANGING);
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ref;
    }

    @Override
    public void readInto(ArtifactRef ref, ArtifactSink sink) {
        delegate.readInto(ref, sink);
    }
}
