package dev.topiary.runtime.stage;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;

/** What processing one input record came to, before anything is written. */
sealed interface Outcome {
    /**
     * A new version to publish. {@code event}'s artifact ref is filled in at commit, when the
     * artifact is stored in the same transaction.
     */
    record Publish(String topic, ModelVersion.Builder event, byte[] artifact, ModelFormat format, ModelVersion input)
            implements Outcome {}

    /** The input goes to the dead-letter topic with the reason. */
    record DeadLetter(String reason, Throwable error) implements Outcome {}

    /** The input's partition was taken away mid-job; its new owner redoes it. */
    record Abandoned() implements Outcome {}
}
