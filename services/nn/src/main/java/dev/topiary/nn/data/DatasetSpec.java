package dev.topiary.nn.data;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 */
public record DatasetSpec(String base, int trainLimit, int testLimit, String label) {

    private static final Set<String> KEYS = Set.of("train", "test", "label");

    /** Parses a name; an unknown option or a limit that is not a positive integer is an error. */
    public static DatasetSpec parse(String name) {
        if (name == null || name.isBlank()) {
            throw new DatasetException("No data set named (empty name)");
        }
        String trimmed = name.trim();
        int q = trimmed.lastIndexOf('?');
        if (q < 0) {
            return new DatasetSpec(trimmed, 0, 0, null);
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
                        + "train=N, test=N or label=COLUMN");
            }
            options.put(key, pair.substring(eq + 1));
        }
        return new DatasetSpec(trimmed.substring(0, q), limit(name, options, "train"),
                limit(name, options, "test"), options.get("label"));
    }

    /** The name with options in a fixed order: the cache key. */
    public String canonical() {
        StringBuilder s = new StringBuilder(base);
        char sep = '?';
        if (label != null) {
            s.append(sep).append("label=").append(label);
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
        return new DatasetSpec(base, 0, 0, label);
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
