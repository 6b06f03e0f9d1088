package dev.topiary.runtime.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stage of a pipeline as written: which service kind runs it, which topics it reads and
 * writes, and its parameters. Wiring only; the service kind checks the meaning of {@code with}.
 *
 * @param name    unique within its pipeline
 * @param uses    the service kind, e.g. {@code prune}
 * @param from    input topics, at least one (a stage may read its own output: loops are allowed)
 * @param to      default output topic, used when no route matches
 * @param with    parameters for the service kind, in file order; values are Integer, Long, Double,
 *                Boolean, String, or unmodifiable Lists and Maps of those
 * @param routes  tried in order before {@code to}
 * @param dataset overrides the pipeline's dataset for this stage; null when not set
 * @param line    1-based line of the stage in its file, for messages; 0 when not from a file
 * @param matrix  run once per combination for every input (fan-out); null when not set
 * @param gather  read sets of the versions arriving on {@code from} (fan-in); null when not set
 */
public record StageSpec(String name, String uses, List<String> from, String to, Map<String, Object> with,
                        List<Route> routes, String dataset, int line, Matrix matrix, Gather gather) {
    /** A stage without matrix or gather. */
    public StageSpec(String name, String uses, List<String> from, String to, Map<String, Object> with,
                     List<Route> routes, String dataset, int line) {
        this(name, uses, from, to, with, routes, dataset, line, null, null);
    }

    public StageSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uses, "uses");
        Objects.requireNonNull(to, "to");
        from = List.copyOf(from);
        // LinkedHashMap, not Map.copyOf: keep the order the user wrote the parameters in.
        with = with == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(with));
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}
