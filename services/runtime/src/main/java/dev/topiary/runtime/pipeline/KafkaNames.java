package dev.topiary.runtime.pipeline;

import java.util.regex.Pattern;

/**
 * Kafka's rules for topic names, checked when the file is read: otherwise a typo surfaces only
 * when the broker refuses the topic, far from the line that caused it. Pipeline and stage names
 * follow the same rules because they end up in consumer group and dead-letter topic names.
 */
final class KafkaNames {
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_LENGTH = 249;

    private KafkaNames() {
    }

    /** Why {@code name} cannot be used in a Kafka name, or null if it can. */
    static String whyIllegal(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "cannot be '.' or '..'";
        }
        if (name.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        if (!LEGAL.matcher(name).matches()) {
            return "may only contain letters, digits, '.', '_' and '-'";
        }
        return null;
    }
}
