package dev.topiary.runtime.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a stage's {@code matrix:} block into a {@link Matrix}, reporting each problem at its
 * line, and remembers the line of each key so the kind's check of a combination can point there.
 */
final class MatrixReader {
    private final NodeReader nodes;
    private final BiConsumer<Node, String> problem;

    /** The matrix read, and the line of each parameter it names (an axis, or the include entry that sets it). */
    record Read(Matrix matrix, int line, Map<String, Integer> keyLines) {}

    MatrixReader(NodeReader nodes, BiConsumer<Node, String> problem) {
        this.nodes = nodes;
        this.problem = problem;
    }

    /** Null after reporting, when absent or wrong. */
    Read read(NodeTuple entry, String label) {
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            return null;
        }
        int line = NodeReader.line(entry.getKeyNode());
        if (!(entry.getValueNode() instanceof MappingNode map)) {
            problem.accept(entry.getValueNode(), "'matrix' in " + label + " must be a mapping of parameters to lists of values, "
                    + "e.g. {seed: [1, 2, 3]}");
            return null;
        }
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        List<Map<String, Object>> include = new ArrayList<>();
        List<Map<String, Object>> exclude = new ArrayList<>();
        Map<String, Integer> keyLines = new HashMap<>();
        int maxJobs = Matrix.DEFAULT_MAX_JOBS;
        boolean ok = true;
        for (Map.Entry<String, NodeTuple> e : nodes.entries(map).entrySet()) {
            String key = e.getKey();
            Node value = e.getValue().getValueNode();
            switch (key) {
                case "maxJobs" -> {
                    Integer n = positiveInt(value);
                    if (n == null) {
                        problem.accept(value, "'matrix.maxJobs' in " + label + " must be a whole number of at least 1");
                        ok = false;
                    } else {
                        maxJobs = n;
                    }
                }
                case "include", "exclude" -> {
                    List<Map<String, Object>> into = key.equals("include") ? include : exclude;
                    ok &= entries(value, "matrix." + key, label, into, key.equals("include") ? keyLines : null);
                }
                default -> {
                    keyLines.put(key, NodeReader.line(e.getValue().getKeyNode()));
                    if (!(value instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
                        problem.accept(value, "matrix axis '" + key + "' in " + label
                                + " must be a non-empty list of values, e.g. " + key + ": [1, 2, 3]");
                        ok = false;
                    } else {
                        Object list = nodes.toJava(seq, "matrix." + key);
                        if (list == null) {
                            ok = false;
                        } else {
                            @SuppressWarnings("unchecked")
                            List<Object> values = (List<Object>) list;
                            axes.put(key, values);
                        }
                    }
                }
            }
        }
        if (!ok) {
            return null;
        }
        if (axes.isEmpty() && include.isEmpty()) {
            problem.accept(map, "'matrix' in " + label + " has no axis and no include: nothing to run");
            return null;
        }
        try {
            return new Read(Matrix.of(axes, include, exclude, maxJobs), line, keyLines);
        } catch (IllegalArgumentException ex) {
            problem.accept(entry.getKeyNode(), label + ": " + ex.getMessage());
            return null;
        }
    }

    private boolean entries(Node value, String path, String label, List<Map<String, Object>> into,
                            Map<String, Integer> keyLines) {
        if (!(value instanceof SequenceNode seq)) {
            problem.accept(value, "'" + path + "' in " + label + " must be a list of mappings, e.g. [{seed: 7}]");
            return false;
        }
        boolean ok = true;
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m)) {
                problem.accept(item, "each entry of '" + path + "' in " + label + " must be a mapping of parameters to values");
                ok = false;
                continue;
            }
            Map<String, Object> read = nodes.mapping(m, path);
            if (read == null || read.isEmpty()) {
                problem.accept(item, "an entry of '" + path + "' in " + label + " is empty");
                ok = false;
                continue;
            }
            into.add(read);
            if (keyLines != null) {
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode s) {
                        keyLines.putIfAbsent(s.getValue(), NodeReader.line(t.getKeyNode()));
                    }
                }
            }
        }
        return ok;
    }

    private static Integer positiveInt(Node value) {
        if (value instanceof ScalarNode s) {
            try {
                int n = Integer.parseInt(s.getValue());
                return n >= 1 ? n : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
