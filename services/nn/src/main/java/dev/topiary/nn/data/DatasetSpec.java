package dev.topiary.nn.data;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A parsed data-set name as written in a pipeline: {@code BASE[?key=value&...]}, e.g.
 * {@code fashion-mnist?train=5000&test=1000} or {@code csv:/data/iris.csv?label=species}. Kept apart
 * from loading so that every loader agrees on what the options mean, and so that two spellings of
 * the same request ({@code ?test=1&train=2} and {@code ?train=2&test=1}) share one cache entry.
 *
 * @param base the part before {@code ?}
 * @param trainLimit take the first N training rows; 0 means all
 * @param testLimit take the first N test rows; 0 means all
 * @param label the label column of a CSV file (name or 0-based index), or null for the last column
 * @param labels only the rows of these classes ({@code labels=0-4}, {@code labels=1,3,5}), in
 *     train and test alike, before the row limits apply; null for every class. The one-hot width
 *     stays the data set's number of classes.
 */
public record DatasetSpec(String base, int trainLimit, int testLimit, String label, SortedSet<Integer> labels) {

    private static final Set<String> KEYS = Set.of("train", "test", "label", "labels");

    public DatasetSpec(String base, int trainLimit, int testLimit, String label) {
        this(base, trainLimit, testLimit, label, null);
    }

    public DatasetSpec {
        labels = labels == null ? null : Collections.unmodifiableSortedSet(new TreeSet<>(labels));
    }

    /** Parses a name; an unknown option or a limit that is not a positive integer is an error. */
    public static DatasetSpec parse(String name) {
        if (name == null || name.isBlank()) {
            throw new DatasetException("No data set named (empty name)");
        }
        String trimmed = name.trim();
        int q = trimmed.lastIndexOf('?');
        if (q < 0) {
            return new DatasetSpec(trimmed, 0, 0, null, null);
        }
        Map<String, String> options = new TreeMap<>();
        for (String pair : trimmed.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (eq < 0 || !KEYS.contains(key)) {
                throw new DatasetException("Bad option '" + pair + "' in data set " + name + ": expected "
                        + "train=N, test=N, label=COLUMN or labels=CLASSES (0-4 or 1,3,5)");
            }
            options.put(key, pair.substring(eq + 1));
        }
        return new DatasetSpec(trimmed.substring(0, q), limit(name, options, "train"),
                limit(name, options, "test"), options.get("label"), classes(name, options.get("labels")));
    }

    /** The name with options in a fixed order: the cache key. */
    public String canonical() {
        StringBuilder s = new StringBuilder(base);
        char sep = '?';
        if (label != null) {
            s.append(sep).append("label=").append(label);
            sep = '&';
        }
        if (labels != null) {
            s.append(sep).append("labels=").append(labels.stream().map(String::valueOf).collect(Collectors.joining(",")));
            sep = '&';
        }
        if (testLimit > 0) {
            s.append(sep).append("test=").append(testLimit);
            sep = '&';
        }
        if (trainLimit > 0) {
            s.append(sep).append("train=").append(trainLimit);
        }
        return s.toString();
    }

    public boolean limited() {
        return trainLimit > 0 || testLimit > 0;
    }

    /** The same request without row limits. */
    public DatasetSpec unlimited() {
        return new DatasetSpec(base, 0, 0, label, labels);
    }

    /** The same request with every class: what a class filter is applied to. */
    public DatasetSpec allClasses() {
        return new DatasetSpec(base, 0, 0, label, null);
    }

    private static SortedSet<Integer> classes(String name, String value) {
        if (value == null) {
            return null;
        }
        SortedSet<Integer> out = new TreeSet<>();
        try {
            for (String part : value.split(",")) {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part.trim() : part.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
                if (from < 0 || to < from) {
                    throw new NumberFormatException(part);
                }
                for (int c = from; c <= to; c++) {
                    out.add(c);
                }
            }
        } catch (NumberFormatException e) {
            throw new DatasetException("Bad option labels=" + value + " in data set " + name
                    + ": expected classes such as 0-4 or 1,3,5");
        }
        return out;
    }

    private static int limit(String name, Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the rest
        }
        throw new DatasetException("Bad option " + key + "=" + value + " in data set " + name
                + ": expected a positive number of rows");
    }
}
