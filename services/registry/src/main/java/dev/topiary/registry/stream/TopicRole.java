package dev.topiary.registry.stream;

import dev.topiary.runtime.kafka.Topics;

/** What the records of a watched topic are, told by its name alone. */
enum TopicRole {
    /** Heartbeats of running jobs. */
    PROGRESS,
    /** Inputs a stage refused: the original bytes, the reasons in {@code topiary.*} headers. */
    DEAD_LETTERS,
    /** Model versions: pipeline inputs, outputs and routes, or topics the user names. */
    VERSIONS;

    static TopicRole of(String topic) {
        if (topic.equals(Topics.PROGRESS.name())) {
            return PROGRESS;
        }
        return topic.endsWith(Topics.DEAD_LETTER_SUFFIX) ? DEAD_LETTERS : VERSIONS;
    }
}
