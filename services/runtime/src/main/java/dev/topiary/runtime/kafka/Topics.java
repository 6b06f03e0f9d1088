package dev.topiary.runtime.kafka;

/** Names of the topics Topiary itself owns; pipeline topics come from pipeline files. */
public final class Topics {
    /** Chunks of artifacts in the kafka store, keyed by SHA-256. */
    public static final String ARTIFACTS = "topiary.artifacts";
    /** Heartbeats of long work. */
    public static final String PROGRESS = "topiary.progress";
    /** Names for versions (production, staging...): compacted, keyed by the name, values {@code Alias} events. */
    public static final String ALIASES = "topiary.aliases";
    /** Suffix of the dead-letter topic of a stage's input topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    public static String deadLetterOf(String inputTopic) {
        return inputTopic + DEAD_LETTER_SUFFIX;
    }

    private Topics() {}
}
