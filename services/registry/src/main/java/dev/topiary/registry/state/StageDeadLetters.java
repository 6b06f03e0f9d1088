package dev.topiary.registry.state;

import dev.topiary.events.DeadLetter;

/**
 * The dead letters of one stage: how many, and the latest, whose reason is usually the one to read.
 *
 * @param stage PIPELINE/STAGE as the stage runner names it
 */
public record StageDeadLetters(String stage, int count, DeadLetter latest) {
    StageDeadLetters plus(DeadLetter letter) {
        boolean newer = latest == null || !letter.getAt().isBefore(latest.getAt());
        return new StageDeadLetters(stage, count + 1, newer ? letter : latest);
    }
}
