package dev.topiary.runtime.pipeline;

import dev.topiary.runtime.stage.VersionIds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A stage's {@code matrix}: run the stage once per combination of values for every input, each
 * combination's values overriding the stage's {@code with}. Combinations are made as GitHub
 * Actions makes them: every combination of the axes' values (in file order), less those matching
 * an {@code exclude} entry on all its keys; then each {@code include} entry is added to every
 * combination it does not contradict on an axis (without changing an axis value), or, when it fits
 * none, is a combination of its own. Duplicates count once; more than {@code maxJobs} is refused.
 *
 * @param axes         each parameter and the values it takes, in file order
 * @param include      combinations added (or extending those they match)
 * @param exclude      partial combinations removed
 * @param maxJobs      the most combinations allowed
 * @param combinations what the stage runs for each input, in order; at least one
 */
public record Matrix(Map<String, List<Object>> axes, List<Map<String, Object>> include,
                     List<Map<String, Object>> exclude, int maxJobs, List<Map<String, Object>> combinations) {
    /** {@code maxJobs} when the file does not set it: enough for any real sweep, few enough to catch a typo's explosion. */
    public static final int DEFAULT_MAX_JOBS = 64;
    /** The keys of a matrix block that are not axes. */
    public static final Set<String> RESERVED = Set.of("include", "exclude", "maxJobs");

    public Matrix {
        axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        combinations = List.copyOf(combinations);
    }

    /**
     * The matrix and its combinations.
     *
     * @throws IllegalArgumentException when it has no combination or more than {@code maxJobs}
     */
    public static Matrix of(Map<String, List<Object>> axes, List<Map<String, Object>> include,
                            List<Map<String, Object>> exclude, int maxJobs) {
        List<Map<String, Object>> product = new ArrayList<>();
        if (!axes.isEmpty()) {
            product.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, List<Object>> axis : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : product) {
                for (Object value : axis.getValue()) {
                    Map<String, Object> c = new LinkedHashMap<>(partial);
                    c.put(axis.getKey(), value);
                    next.add(c);
                }
            }
            product = next;
        }
        product.removeIf(c -> exclude.stream().anyMatch(x -> matches(c, x)));
        List<Map<String, Object>> added = new ArrayList<>();
        for (Map<String, Object> entry : include) {
            boolean fitted = false;
            for (Map<String, Object> c : product) {
                if (agreesOnAxes(c, entry, axes.keySet())) {
                    entry.forEach((k, v) -> {
                        if (!axes.containsKey(k)) {
                            c.put(k, v);
                        }
                    });
                    fitted = true;
                }
            }
            if (!fitted) {
                added.add(new LinkedHashMap<>(entry));
            }
        }
        product.addAll(added);
        Map<String, Map<String, Object>> distinct = new LinkedHashMap<>();
        for (Map<String, Object> c : product) {
            distinct.putIfAbsent(VersionIds.canonicalJson(c), Collections.unmodifiableMap(c));
        }
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("the matrix has no combinations (every one is excluded)");
        }
        if (distinct.size() > maxJobs) {
            throw new IllegalArgumentException("the matrix makes " + distinct.size() + " combinations, more than maxJobs "
                    + maxJobs + " (raise maxJobs if that many jobs per input are meant)");
        }
        return new Matrix(axes, include, exclude, maxJobs, new ArrayList<>(distinct.values()));
    }

    /** Every parameter some combination sets. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        combinations.forEach(c -> keys.addAll(c.keySet()));
        return keys;
    }

    /** The stage's {@code with} as one combination sees it: its values override the stage's. */
    public static Map<String, Object> paramsFor(Map<String, Object> with, Map<String, Object> combination) {
        Map<String, Object> params = new LinkedHashMap<>(with);
        params.putAll(combination);
        return params;
    }

    private static boolean matches(Map<String, Object> combination, Map<String, Object> partial) {
        return partial.entrySet().stream().allMatch(e -> combination.containsKey(e.getKey())
                && Objects.equals(combination.get(e.getKey()), e.getValue()));
    }

    private static boolean agreesOnAxes(Map<String, Object> combination, Map<String, Object> entry, Set<String> axes) {
        return entry.entrySet().stream().filter(e -> axes.contains(e.getKey()))
                .allMatch(e -> Objects.equals(combination.get(e.getKey()), e.getValue()));
    }
}
