package dev.topiary.runtime.kafka;

import dev.topiary.events.Alias;
import dev.topiary.events.DeadLetter;
import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.events.RegisteredVersion;
import dev.topiary.runtime.events.Events;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every kind of topic Topiary reads or writes, with its key and value serdes: the one place that
 * says what is on a topic. Topiary's own topics have fixed names; pipeline topics are named by
 * pipeline files, so they come as families ({@link #versions}, {@link #modelSets}, {@link #deadLetters}).
 */
public final class Topics {
    /** Suffix of the dead-letter topic of a stage's input topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** Suffix of the topic a stage's gatherer writes its sets to: {@code PIPELINE.STAGE.gathered}. */
    public static final String GATHERED_SUFFIX = ".gathered";
    /** Suffix of the internal topic of a matrix stage's jobs: {@code PIPELINE.STAGE.jobs}. */
    public static final String JOBS_SUFFIX = ".jobs";

    /** Model versions (Avro single-object encoding), shared by every topic of the family. */
    public static final Serde<ModelVersion> MODEL_VERSIONS = Events.MODEL_VERSION.serde();

    /** Sets of model versions (Avro single-object encoding), shared by every topic of the family. */
    public static final Serde<ModelSet> MODEL_SETS = Events.MODEL_SET.serde();

    /**
     * Chunks of artifacts in the kafka store, keyed by the artifact's SHA-256 (so one artifact's
     * chunks share a partition), with hash and chunk-index headers; {@code KafkaArtifactStore}
     * writes and reads them.
     */
    public static final Topic<byte[]> ARTIFACTS = new Topic<>("topiary.artifacts", Serdes.ByteArray(), null);

    /** Heartbeats of long work ({@code Progress}), keyed by the job (the output version's id). */
    public static final Topic<Progress> PROGRESS = new Topic<>("topiary.progress", Events.PROGRESS.serde(),
            Progress::getJobId);

    /**
     * Names for versions ({@code topiary promote VERSION --as production}), keyed by the name and
     * compacted, so the latest record per name is what it means; a tombstone removes the name.
     */
    public static final Topic<Alias> ALIASES = new Topic<>("topiary.aliases", Events.ALIAS.serde(), Alias::getName);

    /**
     * What {@code topiary deadletters replay} has republished (compacted): keyed by the dead
     * letter's {@code TOPIC/PARTITION/OFFSET}, the value a JSON object saying where it went and
     * when ({@code DeadLetterReplay.Replayed}).
     */
    public static final Topic<byte[]> REPLAYS = new Topic<>("topiary.replays", Serdes.ByteArray(), null);

    private Topics() {}

    /**
     * The registry {@code registry}'s record of every version it found, compacted and keyed by
     * version id (its ingest chooses the key: the id is inside the event).
     */
    public static Topic<RegisteredVersion> registeredVersions(String registry) {
        return new Topic<>(registry + ".versions", Events.REGISTERED_VERSION.serde(), null);
    }

    /** The registry {@code registry}'s record of every dead letter, compacted and keyed by where the letter lies. */
    public static Topic<DeadLetter> registeredDeadLetters(String registry) {
        return new Topic<>(registry + ".deadletters", Events.DEAD_LETTER.serde(),
                d -> d.getTopic() + "/" + d.getPartition() + "/" + d.getOffset());
    }

    /** The registry {@code registry}'s latest heartbeat of each running job, compacted, keyed by job; a tombstone ends a job. */
    public static Topic<Progress> runningJobs(String registry) {
        return new Topic<>(registry + ".progress", Events.PROGRESS.serde(), Progress::getJobId);
    }

    /** A topic of model versions, keyed by lineage (the root's id) so one model's history stays in order. */
    public static Topic<ModelVersion> versions(String name) {
        return new Topic<>(name, MODEL_VERSIONS, ModelVersion::getLineage);
    }

    /**
     * A topic of gathered sets, keyed by the set's id: the sets of one stage spread over the
     * partitions, so several instances of the stage share them.
     */
    public static Topic<ModelSet> modelSets(String name) {
        return new Topic<>(name, MODEL_SETS, ModelSet::getId);
    }

    /** Where the gatherer of a stage that gathers writes its sets, and what the stage reads. */
    public static String gatheredOf(String pipeline, String stage) {
        return pipeline + "." + stage + GATHERED_SUFFIX;
    }

    /**
     * The internal topic of a matrix stage's jobs: each record is the stage's input record (same
     * bytes) with its combination in headers ({@code MatrixJob}), keyed by the job's output id so
     * the jobs of one input spread over the partitions.
     */
    public static String jobsOf(String pipeline, String stage) {
        return pipeline + "." + stage + JOBS_SUFFIX;
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
