package dev.topiary.runtime.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a chaos soak saw. Versions in are the lineages on the first topic (read back, so a publish
 * that failed ambiguously is counted if it landed); out are those on the last topic, read committed.
 *
 * @param duplicates records on the last topic beyond the first of their lineage
 * @param losses lineages in that never reached the last topic
 * @param deadLetters records on the stages' dead-letter topics, with their reasons in {@code deadLetterReasons}
 */
public record SoakReport(int versionsIn, int versionsOut, int duplicates, int losses, int deadLetters,
                         List<String> deadLetterReasons, int killsSurvived, int brokerRestartsSurvived,
                         double wallSeconds, long seed) {

    public SoakReport {
        deadLetterReasons = List.copyOf(deadLetterReasons);
    }

    /** Every version out exactly once, nothing parked. */
    public boolean exactlyOnce() {
        return versionsIn > 0 && versionsOut == versionsIn && duplicates == 0 && losses == 0 && deadLetters == 0;
    }

    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("versions in                %d%n", versionsIn));
        out.append(String.format("versions out               %d%n", versionsOut));
        out.append(String.format("duplicates                 %d%n", duplicates));
        out.append(String.format("losses                     %d%n", losses));
        out.append(String.format("dead letters               %d%n", deadLetters));
        out.append(String.format("kills survived             %d%n", killsSurvived));
        out.append(String.format("broker restarts survived   %d%n", brokerRestartsSurvived));
        out.append(String.format("wall time                  %.1f s%n", wallSeconds));
        out.append(String.format("seed                       %d%n", seed));
        deadLetterReasons.stream().distinct().limit(5).forEach(r -> out.append("  dead letter: ").append(r).append('\n'));
        out.append(exactlyOnce() ? "exactly once: yes\n" : "exactly once: NO\n");
        return out.toString();
    }

    public void writeJson(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
