package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.Producer;

/**
 * The store a process writes to, plus reads of any ref whatever store wrote it (a pipeline may
 * mix a file-store service with kafka-store ones).
 */
public final class Artifacts implements ArtifactStore {
    /** Default cap on one artifact: large enough for any model a 24 GiB machine trains, small enough to refuse garbage. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private final ArtifactStore writeTo;
    private final KafkaArtifactStore kafka;
    private final FileArtifactStore files;

    private Artifacts(ArtifactStore writeTo, KafkaArtifactStore kafka, FileArtifactStore files) {
        this.writeTo = writeTo;
        this.kafka = kafka;
        this.files = files;
    }

    /** Artifacts on the {@link Topics#ARTIFACTS} topic (the default). */
    public static Artifacts kafka(KafkaSettings settings, long maxBytes) {
        KafkaArtifactStore k = new KafkaArtifactStore(settings, Topics.ARTIFACTS.name(), maxBytes);
        return new Artifacts(k, k, new FileArtifactStore(Path.of("/"), maxBytes));
    }

    /** Artifacts as files under {@code dir}; kafka refs stay readable. */
    public static Artifacts files(KafkaSettings settings, Path dir, long maxBytes) {
        FileArtifactStore f = new FileArtifactStore(dir, maxBytes);
        return new Artifacts(f, new KafkaArtifactStore(settings, Topics.ARTIFACTS.name(), maxBytes), f);
    }

    @Override
    public ArtifactRef store(byte[] bytes, String sha256, ModelFormat format, Producer<String, byte[]> transaction) {
        return writeTo.store(bytes, sha256, format, transaction);
    }

    @Override
    public byte[] get(ArtifactRef ref) {
        String uri = ref.getUri();
        if (uri.startsWith("kafka:")) {
            return kafka.get(ref);
        }
        if (uri.startsWith("file:")) {
            return files.get(ref);
        }
        throw new ArtifactException("unknown artifact uri scheme: " + uri + " (expected kafka: or file:)");
    }
}
