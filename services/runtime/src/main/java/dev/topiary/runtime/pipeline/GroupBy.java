package dev.topiary.runtime.pipeline;

import dev.topiary.events.ModelVersion;
import java.util.List;
import java.util.Map;

/**
 * What the members of a gathered set share ({@code gather.by}): {@code parent} (the same parent
 * ids, e.g. the outputs of one input's matrix), {@code lineage} (the same root model) or
 * {@code label:NAME} (the same value of a label).
 *
 * @param label the label's name for {@code label:NAME}; null otherwise
 */
public record GroupBy(Kind kind, String label) {
    public enum Kind { PARENT, LINEAGE, LABEL }

    public static final String LABEL_PREFIX = "label:";

    /** Reads {@code parent}, {@code lineage} or {@code label:NAME}; throws saying what it takes. */
    public static GroupBy parse(String text) {
        if (text.equals("parent")) {
            return new GroupBy(Kind.PARENT, null);
        }
        if (text.equals("lineage")) {
            return new GroupBy(Kind.LINEAGE, null);
        }
        if (text.startsWith(LABEL_PREFIX) && text.length() > LABEL_PREFIX.length()) {
            return new GroupBy(Kind.LABEL, text.substring(LABEL_PREFIX.length()));
        }
        throw new IllegalArgumentException("gather by must be parent, lineage or label:NAME, not '" + text + "'");
    }

    /**
     * The key of a version, from what it says about itself; throws when it has none (a root has
     * no parent, a version may lack the label).
     */
    public String keyOf(ModelVersion v) {
        return keyOf(v.getParents(), v.getLineage(), v.getLabels(), v.getId());
    }

    /**
     * The key a version with these parents, lineage and labels has: also what a matrix job that
     * failed would have had, from its input.
     */
    public String keyOf(List<String> parents, String lineage, Map<String, String> labels, String id) {
        return switch (kind) {
            case PARENT -> {
                if (parents.isEmpty()) {
                    throw new IllegalArgumentException("version " + id + " has no parent to gather by");
                }
                yield String.join(",", parents.stream().sorted().toList());
            }
            case LINEAGE -> lineage;
            case LABEL -> {
                String value = labels.get(label);
                if (value == null) {
                    throw new IllegalArgumentException("version " + id + " has no label '" + label + "' to gather by");
                }
                yield value;
            }
        };
    }

    @Override
    public String toString() {
        return kind == Kind.LABEL ? LABEL_PREFIX + label : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
