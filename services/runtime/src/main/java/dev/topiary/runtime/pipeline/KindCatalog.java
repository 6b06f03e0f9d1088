package dev.topiary.runtime.pipeline;

import java.util.Map;
import java.util.Set;

/**
 * What a pipeline file is checked against beyond its own shape: the service kinds there are, the
 * parameters each accepts, and the metrics of its own each publishes. The parser asks it about
 * every stage, so a wrong {@code with:} value or a route on a metric the stage never publishes
 * fails at {@code FILE:LINE} before anything starts. {@code ServiceKinds.catalog()} answers for the
 * kinds on the classpath; {@link #names} for names alone.
 */
public interface KindCatalog {
    /** The names {@code uses:} may take. */
    Set<String> names();

    /** The qualified names ({@code kind.name}) of the metrics {@code kind} publishes beside the standard ones. */
    default Set<String> metricsOf(String kind) {
        return Set.of();
    }

    /**
     * Checks a stage's {@code with:} block the way the kind itself will when it starts. Throws
     * {@link dev.topiary.runtime.stage.ParameterException} naming the key, or any
     * IllegalArgumentException whose message names the problem.
     */
    default void checkParams(String kind, String stage, Map<String, Object> with) {}

    /** Checks the data set a stage of {@code kind} would read (null: none set), as the kind itself will: throws saying what is wrong. */
    default void checkDataset(String kind, String dataset) {}

    /** A catalog that knows the kinds' names and nothing else: no parameter checks, no metrics of their own. */
    static KindCatalog names(Set<String> names) {
        Set<String> copy = Set.copyOf(names);
        return () -> copy;
    }
}
