package dev.topiary.runtime.pipeline;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Pipeline files that cannot be run. Carries every problem found, not only the first, so a user
 * fixes a file in one round rather than one start-up per mistake. Checked, because start-up code
 * must turn it into a clear message and exit, not a stack trace.
 */
public class PipelineException extends Exception {
    private final List<Problem> problems;

    public PipelineException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PipelineException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Each file's problems in line order, files in the order they were given. */
    public List<Problem> problems() {
        return problems;
    }
}
