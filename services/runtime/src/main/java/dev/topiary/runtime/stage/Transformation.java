package dev.topiary.runtime.stage;

/**
 * What a service does to one model version: a plain function from an input version (with its
 * artifact bytes already verified) to a new artifact and its measurements, or to a report and no
 * version ({@link StageReport}). The stage runner calls it off the poll thread and owns everything
 * about Kafka around it.
 *
 * <p>Throwing fails the input. The runner sorts the failure by its cause ({@link FailureKind}): an
 * error caused by something outside the input (a Kafka {@code RetriableException}, a timeout, an
 * unavailable artifact store) is retried later; any other marks the input as bad, and the runner
 * sends it to the stage's dead-letter topic with the exception's message, so the message must name
 * what was wrong and where.
 */
@FunctionalInterface
public interface Transformation {
    /** A new version, or a {@link StageReport} when the stage was asked only to look. */
    StageResult apply(StageInput input) throws Exception;
}
