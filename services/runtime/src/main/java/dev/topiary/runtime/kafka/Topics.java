package dev.topiary.runtime.kafka;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.runtime.events.Events;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every kind of topic Topiary reads or writes, with its key and value serdes: the one place that
 * says what is on a topic. Topiary's own topics have fixed names; pipeline topics are named by
 * pipeline files, so they come as families ({@link #versions}, {@link #deadLetters}).
 */
public final class Topics {
    /** Suffix of the dead-letter topic of a stage's input topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** Model versions (Avro single-object encoding), shared by every topic of the family. */
    public static final Serde<ModelVersion> MODEL_VERSIONS = Events.MODEL_VERSION.serde();

    /**
     * Chunks of artifacts in the kafka store, keyed by the artifact's SHA-256 (so one artifact's
     * chunks share a partition), with hash and chunk-index headers; {@code KafkaArtifactStore}
     * writes and reads them.
     */
    public static final Topic<byte[]> ARTIFACTS = new Topic<>("topiary.artifacts", Serdes.ByteArray(), null);

    /** Heartbeats of long work ({@code Progress}), keyed by the job (the output version's id). */
    public static final Topic<Progress> PROGRESS = new Topic<>("topiary.progress", Events.PROGRESS.serde(),
            Progress::getJobId);

    private Topics() {}

    /** A topic of model versions, keyed by lineage (the root's id) so one model's history stays in order. */
    public static Topic<ModelVersion> versions(String name) {
        return new Topic<>(name, MODEL_VERSIONS, ModelVersion::getLineage);
    }

    /**
     * The dead-letter topic of a stage's input topic: the input record's own key and bytes, with
     * headers saying which stage refused it, why, and where it came from.
     */
    public static Topic<byte[]> deadLetters(String inputTopic) {
        return new Topic<>(deadLetterOf(inputTopic), Serdes.ByteArray(), null);
    }

    public static String deadLetterOf(String inputTopic) {
        return inputTopic + DEAD_LETTER_SUFFIX;
    }
}
