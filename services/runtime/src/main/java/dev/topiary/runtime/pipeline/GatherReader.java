package dev.topiary.runtime.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads a stage's {@code gather:} block into a {@link Gather}, reporting each problem at its line. */
final class GatherReader {
    static final Set<String> KEYS = new java.util.LinkedHashSet<>(List.of("by", "count", "within", "min"));

    private final NodeReader nodes;
    private final BiConsumer<Node, String> problem;

    GatherReader(NodeReader nodes, BiConsumer<Node, String> problem) {
        this.nodes = nodes;
        this.problem = problem;
    }

    /** Null after reporting, when absent or wrong. */
    Gather read(NodeTuple entry, String label) {
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            return null;
        }
        if (!(entry.getValueNode() instanceof MappingNode map)) {
            problem.accept(entry.getValueNode(), "'gather' in " + label + " must be a mapping, e.g. {by: parent, count: 5}");
            return null;
        }
        Map<String, NodeTuple> keys = nodes.entries(map);
        boolean ok = true;
        for (Map.Entry<String, NodeTuple> e : keys.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                problem.accept(e.getValue().getKeyNode(), "unknown key '" + e.getKey() + "' in 'gather' of " + label
                        + " (allowed: " + String.join(", ", KEYS) + ")");
                ok = false;
            }
        }
        GroupBy by = null;
        String byText = text(keys.get("by"));
        if (byText == null) {
            problem.accept(keys.containsKey("by") ? keys.get("by").getValueNode() : map,
                    "'gather' in " + label + " needs 'by': parent, lineage or label:NAME");
            ok = false;
        } else {
            try {
                by = GroupBy.parse(byText);
            } catch (IllegalArgumentException e) {
                problem.accept(keys.get("by").getValueNode(), label + ": " + e.getMessage());
                ok = false;
            }
        }
        Integer count = wholeNumber(keys.get("count"));
        if (count == null || count < 1) {
            problem.accept(keys.containsKey("count") ? keys.get("count").getValueNode() : map,
                    "'gather.count' in " + label + " must be a whole number of at least 1 (the members of a complete set)");
            ok = false;
        }
        Integer min = keys.containsKey("min") ? wholeNumber(keys.get("min")) : count;
        if (keys.containsKey("min") && (min == null || min < 1 || (count != null && min > count))) {
            problem.accept(keys.get("min").getValueNode(), "'gather.min' in " + label + " must be a whole number from 1 to count"
                    + (count == null ? "" : " (" + count + ")") + ", not '" + text(keys.get("min")) + "'");
            ok = false;
        }
        Duration within = null;
        if (keys.containsKey("within")) {
            String w = text(keys.get("within"));
            try {
                within = Durations.parse(w == null ? "" : w);
                if (within.isZero()) {
                    throw new IllegalArgumentException("'" + w + "' is no time at all");
                }
            } catch (IllegalArgumentException e) {
                problem.accept(keys.get("within").getValueNode(), "'gather.within' in " + label + ": " + e.getMessage());
                ok = false;
            }
        }
        return ok ? new Gather(by, count, within, min) : null;
    }

    private static String text(NodeTuple entry) {
        return entry != null && entry.getValueNode() instanceof ScalarNode s && !NodeReader.isNull(s) ? s.getValue() : null;
    }

    private static Integer wholeNumber(NodeTuple entry) {
        String t = text(entry);
        if (t == null) {
            return null;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
