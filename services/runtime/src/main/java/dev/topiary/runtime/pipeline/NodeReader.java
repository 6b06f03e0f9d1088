package dev.topiary.runtime.pipeline;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads SnakeYAML nodes (which keep line numbers, unlike loaded Maps) into keys and Java values,
 * reporting what it cannot read instead of stopping, so one pass finds every problem.
 */
final class NodeReader {
    private final BiConsumer<Node, String> report;
    private final ScalarConstructor scalars = new ScalarConstructor();
    /** Nodes being read right now: an alias back to one of them would recurse forever. */
    private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The same guard for merge keys, which {@link #entries} follows on its own. */
    private final Set<Node> merging = Collections.newSetFromMap(new IdentityHashMap<>());

    NodeReader(BiConsumer<Node, String> report) {
        this.report = report;
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /**
     * Whether the value was written after a {@code !}, which YAML reads as a tag, not as text: an
     * unquoted {@code when: ! (accuracyDrop > 0.005)} reads as the condition without its "not".
     */
    static boolean tagged(Node node) {
        Mark mark = node.getStartMark();
        return mark != null && mark.getBuffer() != null && mark.getPointer() < mark.getBuffer().length
                && mark.getBuffer()[mark.getPointer()] == '!';
    }

    /** What to do about a value YAML took for a tag. */
    static final String QUOTE_IT = "quote the whole value, e.g. when: \"!(accuracyDrop > 0.005)\"";

    /** Why a {@link #tagged} value of {@code key} is refused. */
    static String taggedMessage(String key) {
        return "'" + key + "' starts with !, which YAML reads as a tag, not as text: " + QUOTE_IT;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    static String kindOf(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        return "single value";
    }

    /**
     * A mapping's entries by key, in file order. Duplicate keys are reported (SnakeYAML keeps both
     * in compose mode and a silent last-wins would hide a mistake); merge keys ({@code <<: *anchor})
     * are expanded, explicit keys winning, as YAML specifies.
     */
    Map<String, NodeTuple> entries(MappingNode map) {
        Map<String, NodeTuple> result = new LinkedHashMap<>();
        if (!merging.add(map)) {
            report.accept(map, "a merge key refers to the mapping it is in");
            return result;
        }
        Set<String> merged = new HashSet<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode instanceof ScalarNode s && s.getTag().equals(Tag.MERGE)) {
                for (MappingNode source : mergeSources(tuple.getValueNode())) {
                    entries(source).forEach((key, value) -> {
                        if (result.putIfAbsent(key, value) == null) {
                            merged.add(key);
                        }
                    });
                }
            } else if (keyNode instanceof ScalarNode s) {
                String key = s.getValue();
                NodeTuple earlier = result.get(key);
                if (earlier != null && !merged.contains(key)) {
                    report.accept(keyNode, "duplicate key '" + key + "' (first at line " + line(earlier.getKeyNode()) + ")");
                } else {
                    result.put(key, tuple);
                    merged.remove(key);
                }
            } else {
                report.accept(keyNode, "a key must be a plain name, not a " + kindOf(keyNode));
            }
        }
        merging.remove(map);
        return result;
    }

    /**
     * The entry written as {@code key} directly in {@code map}, without reporting anything (it has
     * been read once already); null when absent or only merged in.
     */
    static NodeTuple plainEntry(MappingNode map, String key) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode s && !s.getTag().equals(Tag.MERGE) && s.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }

    private List<MappingNode> mergeSources(Node value) {
        List<MappingNode> sources = new ArrayList<>();
        if (value instanceof MappingNode m) {
            sources.add(m);
        } else if (value instanceof SequenceNode seq && seq.getValue().stream().allMatch(n -> n instanceof MappingNode)) {
            seq.getValue().forEach(n -> sources.add((MappingNode) n));
        } else {
            report.accept(value, "'<<' must merge a mapping or a list of mappings");
        }
        return sources;
    }

    /**
     * A {@code with} value as Integer, Long, Double, Boolean or String, or unmodifiable List / Map
     * of those; null after reporting a problem. {@code path} names the value in messages.
     */
    Object toJava(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return scalar(s, path);
        }
        if (node instanceof MappingNode m) {
            return mapping(m, path);
        }
        if (!open.add(node)) {
            report.accept(node, "'" + path + "' refers to itself through an alias");
            return null;
        }
        List<Object> list = new ArrayList<>();
        List<Node> items = ((SequenceNode) node).getValue();
        for (int i = 0; i < items.size(); i++) {
            if (open.contains(items.get(i))) {
                // the alias itself has no position of its own; its list does
                report.accept(node, "'" + path + "[" + i + "]' refers to itself through an alias");
                continue;
            }
            Object item = toJava(items.get(i), path + "[" + i + "]");
            if (item != null) {
                list.add(item);
            }
        }
        open.remove(node);
        return Collections.unmodifiableList(list);
    }

    /** {@link #toJava} for a mapping, typed as one. */
    Map<String, Object> mapping(MappingNode node, String path) {
        if (!open.add(node)) {
            report.accept(node, "'" + path + "' refers to itself through an alias");
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        entries(node).forEach((key, tuple) -> {
            if (open.contains(tuple.getValueNode())) {
                // reported at the key: the aliased node's own position is the anchor, not this use of it
                report.accept(tuple.getKeyNode(), "'" + path + "." + key + "' refers to itself through an alias");
                return;
            }
            Object value = toJava(tuple.getValueNode(), path + "." + key);
            if (value != null) {
                map.put(key, value);
            }
        });
        open.remove(node);
        return Collections.unmodifiableMap(map);
    }

    private Object scalar(ScalarNode node, String path) {
        if (tagged(node)) {
            report.accept(node, taggedMessage(path));
            return null;
        }
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            report.accept(node, "'" + path + "' has no value");
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            // YAML 1.1 also reads yes/no/on/off as booleans; as parameter values those are far more
            // often meant as words (schedule: on), so only true/false become booleans.
            String text = node.getValue();
            return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false") ? Boolean.valueOf(text) : text;
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            Object number = scalars.construct(node);
            if (number instanceof BigInteger) {
                report.accept(node, "'" + path + "' is too large a whole number: " + node.getValue());
                return null;
            }
            return number;
        }
        if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP) || tag.equals(Tag.MERGE)) {
            return node.getValue();
        }
        report.accept(node, "'" + path + "' has an unsupported YAML tag " + tag.getValue());
        return null;
    }

    /** Borrows SnakeYAML's own reading of YAML numbers (signs, underscores, hex, exponents). */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor() {
            super(new LoaderOptions());
        }

        Object construct(ScalarNode node) {
            return constructObject(node);
        }
    }
}
