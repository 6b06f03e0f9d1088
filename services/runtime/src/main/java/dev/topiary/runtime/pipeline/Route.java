package dev.topiary.runtime.pipeline;

import java.util.Objects;

/**
 * One branch of a stage's output: versions for which {@code when} holds go to {@code to} instead
 * of the stage's default topic. Routes are tried in order; see {@link Router}.
 *
 * @param line 1-based line of the route in its file, for messages; 0 when not from a file
 */
public record Route(Condition when, String to, int line) {
    public Route {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(to, "to");
    }
}
