package dev.topiary.runtime.pipeline;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads times as pipeline files write them: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 1h30m}. */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /** Throws naming the accepted forms when {@code text} is not one. */
    static Duration parse(String text) {
        String t = text.strip();
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            total = total.plusMillis(Math.round(n * unitMillis));
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a time; write e.g. 30m, 90s, 500ms, 2h or 1h30m");
        }
        return total;
    }
}
