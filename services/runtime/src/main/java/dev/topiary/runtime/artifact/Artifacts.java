package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.Producer;

/**
 * The store a process writes to, plus reads of refs in the other store it knows (a pipeline may
 * mix a file-store service with kafka-store ones). Reads dispatch on the uri's scheme, and only
 * to a configured place: a {@code file:} ref when no artifact directory is configured, or a ref
 * of any other scheme, is outside the store.
 */
public final class Artifacts implements ArtifactStore {
    /** Default cap on one artifact: large enough for any model a 24 GiB machine trains, small enough to refuse garbage. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private final ArtifactStore writeTo;
    private final KafkaArtifactStore kafka;
    private final FileArtifactStore files;
    private final long maxBytes;

    private Artifacts(ArtifactStore writeTo, KafkaArtifactStore kafka, FileArtifactStore files, long maxBytes) {
        this.writeTo = writeTo;
        this.kafka = kafka;
        this.files = files;
        this.maxBytes = maxBytes;
    }

    /** Artifacts on the {@link Topics#ARTIFACTS} topic (the default); {@code file:} refs are outside the store. */
    public static Artifacts kafka(KafkaSettings settings, long maxBytes) {
        return kafka(settings, maxBytes, null);
    }

    /** Artifacts on the {@link Topics#ARTIFACTS} topic; {@code file:} refs readable under {@code dir} (null: none). */
    public static Artifacts kafka(KafkaSettings settings, long maxBytes, Path dir) {
        KafkaArtifactStore k = new KafkaArtifactStore(settings, Topics.ARTIFACTS.name(), maxBytes);
        return new Artifacts(k, k, dir == null ? null : new FileArtifactStore(dir, maxBytes), maxBytes);
    }

    /** Artifacts as files under {@code dir}; kafka refs on {@link Topics#ARTIFACTS} stay readable. */
    public static Artifacts files(KafkaSettings settings, Path dir, long maxBytes) {
        FileArtifactStore f = new FileArtifactStore(dir, maxBytes);
        return new Artifacts(f, new KafkaArtifactStore(settings, Topics.ARTIFACTS.name(), maxBytes), f, maxBytes);
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public ArtifactRef store(InputStream bytes, long size, String sha256, ModelFormat format,
                             Producer<String, byte[]> transaction) {
        return writeTo.store(bytes, size, sha256, format, transaction);
    }

    @Override
    public void readInto(ArtifactRef ref, ArtifactSink sink) {
        String uri = ref.getUri();
        if (uri.startsWith("kafka:")) {
            kafka.readInto(ref, sink);
        } else if (uri.startsWith("file:") && files != null) {
            files.readInto(ref, sink);
        } else if (uri.startsWith("file:")) {
            throw new OutsideStoreException("artifact " + uri + " is outside the store: this process has no file"
                    + " artifact store (--artifact-dir)");
        } else {
            throw new OutsideStoreException("artifact " + uri + " is outside the store: unknown uri scheme"
                    + " (expected kafka: or file:)");
        }
    }
}
