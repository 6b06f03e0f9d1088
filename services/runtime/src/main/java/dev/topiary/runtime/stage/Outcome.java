package dev.topiary.runtime.stage;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What processing one input record came to, before anything is written. */
sealed interface Outcome {
    /**
     * A new version to publish. {@code event}'s artifact ref is filled in at commit, when the
     * artifact is stored in the same transaction.
     */
    record Publish(String topic, ModelVersion.Builder event, byte[] artifact, ModelFormat format, ModelVersion input,
                   MatrixJob job) implements Outcome {}

    /**
     * A dry run's report: no version; the input is committed and the summary goes to the progress
     * topic under the id the version would have had.
     */
    record Report(String summary, String outputId, ModelVersion input, MatrixJob job) implements Outcome {}

    /** A matrix stage's input expanded: one record per combination for the stage's jobs topic. */
    record Jobs(List<ProducerRecord<String, byte[]>> records, String summary) implements Outcome {}

    /** The input goes to the dead-letter topic with the reason. */
    record DeadLetter(String reason, Throwable error) implements Outcome {}

    /** The input's partition was taken away mid-job; its new owner redoes it. */
    record Abandoned() implements Outcome {}
}
