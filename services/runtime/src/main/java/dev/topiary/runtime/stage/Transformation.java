package dev.topiary.runtime.stage;

/**
 * What a service does to one model version: a plain function from an input version (with its
 * artifact bytes already verified) to a new artifact and its measurements. The stage runner calls
 * it off the poll thread and owns everything about Kafka around it.
 *
 * <p>Throwing marks the input as bad: the runner sends it to the stage's dead-letter topic with
 * the exception's message, so the message must name what was wrong and where.
 */
@FunctionalInterface
public interface Transformation {
    StageOutput apply(StageInput input) throws Exception;
}
