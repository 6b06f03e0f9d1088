package dev.topiary.runtime.stage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of a stage's {@code with:} block, with errors ({@link ParameterException}) that name
 * the stage and the key.
 */
public final class StageParams {
    private final String stage;
    private final Map<String, Object> values;

    public StageParams(String stage, Map<String, Object> values) {
        this.stage = stage;
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(values);
    }

    public String stage() {
        return stage;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public double getDouble(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw bad(key, "a number", v);
        }
    }

    public int getInt(String key, int fallback) {
        double d = getDouble(key, fallback);
        if (d != Math.rint(d)) {
            throw bad(key, "a whole number", values.get(key));
        }
        return (int) d;
    }

    public long getLong(String key, long fallback) {
        double d = getDouble(key, fallback);
        if (d != Math.rint(d)) {
            throw bad(key, "a whole number", values.get(key));
        }
        return (long) d;
    }

    public String getString(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    public boolean getBoolean(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw bad(key, "true or false", v);
    }

    /** One of {@code allowed}, case-insensitive, returned in lower case. */
    public String getChoice(String key, String fallback, Set<String> allowed) {
        String v = getString(key, fallback);
        if (v == null) {
            return null;
        }
        String lower = v.toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw bad(key, "one of " + new java.util.TreeSet<>(allowed), v);
        }
        return lower;
    }

    /**
     * An enum parameter as pipeline files spell it, in lower case with '-' for '_'
     * ({@code least-squares} for {@code LEAST_SQUARES}); any constant of the enum is allowed.
     */
    public <E extends Enum<E>> E getEnum(String key, E fallback) {
        Class<E> type = fallback.getDeclaringClass();
        Set<String> spellings = new java.util.HashSet<>();
        for (E e : type.getEnumConstants()) {
            spellings.add(spelling(e));
        }
        return Enum.valueOf(type, getChoice(key, spelling(fallback), spellings).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    private static String spelling(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(key, "a mapping", v);
    }

    @SuppressWarnings("unchecked")
    public List<Object> getList(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad(key, "a list", v);
    }

    /** Refuses keys a stage does not know, so a typo is an error rather than a silent default. */
    public void requireOnly(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new ParameterException(stage, key, "stage '" + stage + "': unknown parameter '" + key
                        + "' (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    /** A value of {@code key} that is not what the stage needs, in the words every service uses. */
    public ParameterException bad(String key, String expected, Object actual) {
        return new ParameterException(stage, key,
                "stage '" + stage + "': parameter '" + key + "' must be " + expected + ", got '" + actual + "'");
    }

    /** A problem with {@code key} that is not about its type, e.g. that it applies to another method only. */
    public ParameterException problem(String key, String what) {
        return new ParameterException(stage, key, "stage '" + stage + "': parameter '" + key + "' " + what);
    }
}
