package dev.topiary.runtime.pipeline;

import dev.topiary.runtime.stage.ParameterException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one pipeline file into a {@link Pipeline}, or fails with every problem in it, each with its
 * file and line. Invalid files must fail at start-up, where the user is looking, rather than as a
 * dead letter an hour into a run. The format is described in {@code pipelines/README.md}.
 *
 * <p>Works on SnakeYAML's node tree rather than loaded Maps because only nodes keep line numbers.
 */
public final class PipelineParser {
    /** A mapping's value that starts with {@code !}: YAML reads it as a tag. */
    private static final Pattern UNQUOTED_TAG = Pattern.compile(":\\s+!");
    static final Set<String> TOP_KEYS = orderedSet("pipeline", "dataset", "topics", "stages");
    static final Set<String> STAGE_KEYS = orderedSet("name", "uses", "from", "to", "with", "routes", "dataset", "matrix",
            "gather");
    static final Set<String> ROUTE_KEYS = orderedSet("when", "to");
    static final Set<String> TOPIC_KEYS = orderedSet("partitions", "replicationFactor");

    private final Path file;
    private final KindCatalog kinds;
    private final Set<String> knownKinds;
    private final List<Problem> problems = new ArrayList<>();
    private final NodeReader nodes = new NodeReader(this::problem);
    private final MatrixReader matrices = new MatrixReader(nodes, this::problem);
    private final GatherReader gathers = new GatherReader(nodes, this::problem);
    /** Each stage name's first line, to point a duplicate at the original. */
    private final Map<String, Integer> stageNameLines = new HashMap<>();
    /** The pipeline's {@code dataset:}, read before its stages; null when it sets none. */
    private NodeTuple pipelineDataset;

    private PipelineParser(Path file, KindCatalog kinds) {
        this.file = file;
        this.kinds = kinds;
        this.knownKinds = new TreeSet<>(kinds.names());
    }

    /**
     * Checks the wiring and that each {@code uses} names one of {@code knownServiceKinds}, but not
     * the kinds' parameters or metrics of their own: see {@link #parse(Path, KindCatalog)}.
     */
    public static Pipeline parse(Path file, Set<String> knownServiceKinds) throws PipelineException {
        return parse(file, KindCatalog.names(knownServiceKinds));
    }

    /**
     * @param kinds every service kind of the deployment (not only those running in this process):
     *              the names {@code uses} may take, their parameter checks and their own metrics
     * @throws PipelineException listing every problem found in the file
     */
    public static Pipeline parse(Path file, KindCatalog kinds) throws PipelineException {
        PipelineParser parser = new PipelineParser(file, kinds);
        Pipeline pipeline = parser.read();
        if (!parser.problems.isEmpty()) {
            parser.problems.sort(Comparator.comparingInt(Problem::line));
            throw new PipelineException(parser.problems);
        }
        return pipeline;
    }

    private Pipeline read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(new Problem(file, 0, "no such file"));
            return null;
        } catch (CharacterCodingException e) {
            problems.add(new Problem(file, 0, "not UTF-8 text"));
            return null;
        } catch (IOException e) {
            problems.add(new Problem(file, 0, "cannot read the file: " + e));
            return null;
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            problems.add(new Problem(file, syntaxErrorLine(e), "invalid YAML: " + syntaxErrorMessage(e) + tagHint(text, e)));
            return null;
        } catch (YAMLException e) {
            problems.add(new Problem(file, 0, "invalid YAML: " + e.getMessage()));
            return null;
        }
        return pipeline(root);
    }

    private static int syntaxErrorLine(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        return mark == null ? 0 : mark.getLine() + 1;
    }

    /**
     * YAML reads a value that starts with {@code !} as a tag, so an unquoted {@code when: !(a > b)}
     * fails with a message about block scalars: say what it is where the failing lines hold one.
     */
    private static String tagHint(String text, MarkedYAMLException e) {
        List<String> lines = text.lines().toList();
        for (Mark mark : new Mark[] {e.getContextMark(), e.getProblemMark()}) {
            if (mark != null && mark.getLine() < lines.size() && UNQUOTED_TAG.matcher(lines.get(mark.getLine())).find()) {
                return "; a value that starts with ! is read as a YAML tag: " + NodeReader.QUOTE_IT;
            }
        }
        return "";
    }

    private static String syntaxErrorMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "cannot parse" : e.getProblem().strip();
        if (e.getContext() == null) {
            return problem;
        }
        String context = e.getContext().strip();
        if (e.getContextMark() != null) {
            context += " started at line " + (e.getContextMark().getLine() + 1);
        }
        return problem + " (" + context + ")";
    }

    private Pipeline pipeline(Node root) {
        if (root == null) {
            problems.add(new Problem(file, 1, "the file is empty; a pipeline needs 'pipeline:' and 'stages:'"));
            return null;
        }
        if (!(root instanceof MappingNode map)) {
            problem(root, "expected a mapping with 'pipeline:' and 'stages:' at the top, found a " + NodeReader.kindOf(root));
            return null;
        }
        Map<String, NodeTuple> top = nodes.entries(map);
        rejectUnknownKeys(top, TOP_KEYS, "top-level key", "");
        String name = required(top, "pipeline", map, "missing 'pipeline:', the pipeline's name");
        checkKafkaName(top.get("pipeline"), name, "pipeline name");
        String dataset = optional(top, "dataset");
        pipelineDataset = dataset == null ? null : top.get("dataset");
        TopicDefaults topics = topics(top.get("topics"));
        List<StageSpec> stages = stages(top.get("stages"), map);
        if (name == null || stages == null) {
            return null;
        }
        int line = NodeReader.line(top.get("pipeline").getKeyNode());
        return new Pipeline(name, dataset, stages, file, topics, line);
    }

    private TopicDefaults topics(NodeTuple entry) {
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            return TopicDefaults.DEFAULT;
        }
        if (!(entry.getValueNode() instanceof MappingNode map)) {
            problem(entry.getValueNode(), "'topics' must be a mapping with partitions and replicationFactor");
            return TopicDefaults.DEFAULT;
        }
        Map<String, NodeTuple> keys = nodes.entries(map);
        rejectUnknownKeys(keys, TOPIC_KEYS, "key", " in 'topics'");
        int partitions = positiveInt(keys.get("partitions"), TopicDefaults.DEFAULT.partitions(), Integer.MAX_VALUE);
        int replicas = positiveInt(keys.get("replicationFactor"), TopicDefaults.DEFAULT.replicationFactor(), Short.MAX_VALUE);
        return new TopicDefaults(partitions, (short) replicas);
    }

    private int positiveInt(NodeTuple entry, int fallback, int max) {
        String text = entry == null ? null : scalar(entry.getValueNode(), entry);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        problem(entry.getValueNode(), "'" + key(entry) + "' must be a whole number from 1 to " + max + ", not '" + text + "'");
        return fallback;
    }

    private List<StageSpec> stages(NodeTuple entry, MappingNode root) {
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            problem(entry == null ? root : entry.getKeyNode(), "missing 'stages:', the list of stages");
            return null;
        }
        if (!(entry.getValueNode() instanceof SequenceNode list)) {
            problem(entry.getValueNode(), "'stages' must be a list of stages, not a " + NodeReader.kindOf(entry.getValueNode()));
            return null;
        }
        if (list.getValue().isEmpty()) {
            problem(list, "'stages' is empty; a pipeline needs at least one stage");
            return null;
        }
        List<StageSpec> stages = new ArrayList<>();
        for (Node item : list.getValue()) {
            StageSpec stage = stage(item);
            if (stage != null) {
                stages.add(stage);
            }
        }
        return stages;
    }

    /** Null if the stage has problems; they are reported. */
    private StageSpec stage(Node item) {
        if (!(item instanceof MappingNode map)) {
            problem(item, "each stage must be a mapping with name, uses, from and to, not a " + NodeReader.kindOf(item));
            return null;
        }
        int before = problems.size();
        Map<String, NodeTuple> keys = nodes.entries(map);
        String name = required(keys, "name", map, "stage has no 'name'");
        checkKafkaName(keys.get("name"), name, "stage name");
        if (name != null) {
            int line = NodeReader.line(keys.get("name").getValueNode());
            Integer first = stageNameLines.putIfAbsent(name, line);
            if (first != null) {
                problems.add(new Problem(file, line, "duplicate stage name '" + name + "' (first defined at line " + first + ")"));
            }
        }
        String label = name == null ? "stage at line " + NodeReader.line(map) : "stage '" + name + "'";
        rejectUnknownKeys(keys, STAGE_KEYS, "key", " in " + label);
        String uses = required(keys, "uses", map, label + " has no 'uses' (the service kind that runs it)");
        boolean knownKind = uses != null && knownKinds.contains(uses);
        if (uses != null && !knownKind) {
            problem(keys.get("uses").getValueNode(), "unknown service kind '" + uses + "' in " + label
                    + " (known: " + (knownKinds.isEmpty() ? "none" : String.join(", ", knownKinds)) + ")");
        }
        List<String> from = from(keys.get("from"), map, label);
        String to = required(keys, "to", map, label + " has no 'to' (the topic it writes to)");
        checkKafkaName(keys.get("to"), to, "topic");
        int beforeWith = problems.size();
        Map<String, Object> with = with(keys.get("with"));
        if (knownKind && name != null && problems.size() == beforeWith) {
            checkParams(uses, name, with, keys.get("with"), map);
        }
        int beforeMatrix = problems.size();
        MatrixReader.Read matrix = matrices.read(keys.get("matrix"), label);
        if (matrix != null && knownKind && name != null && problems.size() == beforeMatrix && beforeMatrix == beforeWith) {
            checkCombinations(uses, name, with, matrix, keys.get("with"), map);
        }
        Gather gather = gathers.read(keys.get("gather"), label);
        MetricVocabulary vocabulary = knownKind ? MetricVocabulary.forKind(uses, kinds.metricsOf(uses)) : MetricVocabulary.STANDARD;
        List<Route> routes = routes(keys.get("routes"), label, vocabulary);
        String dataset = optional(keys, "dataset");
        if (knownKind && name != null) {
            checkDataset(uses, label, dataset != null ? keys.get("dataset") : pipelineDataset, keys.get("name"));
        }
        if (problems.size() > before) {
            return null;
        }
        int line = NodeReader.line(keys.get("name").getValueNode());
        return new StageSpec(name, uses, from, to, with, routes, dataset, line, matrix == null ? null : matrix.matrix(),
                gather);
    }

    private List<String> from(NodeTuple entry, MappingNode stage, String label) {
        String missing = label + " has no 'from' (the topic or topics it reads)";
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            problem(entry == null ? stage : entry.getKeyNode(), missing);
            return List.of();
        }
        Node value = entry.getValueNode();
        if (value instanceof ScalarNode s) {
            checkKafkaName(entry, s.getValue(), "topic");
            return List.of(s.getValue());
        }
        if (!(value instanceof SequenceNode seq)) {
            problem(value, "'from' in " + label + " must be a topic or a list of topics, not a mapping");
            return List.of();
        }
        if (seq.getValue().isEmpty()) {
            problem(value, missing);
        }
        Set<String> topics = new LinkedHashSet<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode s) || NodeReader.isNull(item)) {
                problem(item, "each entry of 'from' must be a topic name");
            } else if (!topics.add(s.getValue())) {
                problem(item, "topic '" + s.getValue() + "' is listed twice in 'from'");
            } else {
                String why = KafkaNames.whyIllegal(s.getValue());
                if (why != null) {
                    problem(item, "topic '" + s.getValue() + "' " + why);
                }
            }
        }
        return List.copyOf(topics);
    }

    private Map<String, Object> with(NodeTuple entry) {
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            return Map.of();
        }
        if (!(entry.getValueNode() instanceof MappingNode map)) {
            problem(entry.getValueNode(), "'with' must be a mapping of parameter names to values, not a "
                    + NodeReader.kindOf(entry.getValueNode()));
            return Map.of();
        }
        return nodes.mapping(map, "with");
    }

    /**
     * The kind's check of the data set a stage reads, reported at the line of the {@code dataset:}
     * that set it: the stage's own, or the pipeline's (there once, however many stages read it);
     * where neither sets one, at the stage's name.
     */
    private void checkDataset(String kind, String label, NodeTuple datasetEntry, NodeTuple nameEntry) {
        Node at = datasetEntry == null ? nameEntry.getValueNode() : datasetEntry.getValueNode();
        if (!(at instanceof ScalarNode)) {
            return; // not a single value: reported as such
        }
        try {
            kinds.checkDataset(kind, datasetEntry == null ? null : ((ScalarNode) at).getValue());
        } catch (RuntimeException e) {
            boolean pipelineWide = datasetEntry != null && datasetEntry == pipelineDataset;
            Problem problem = new Problem(file, NodeReader.line(at), (pipelineWide ? "" : label + ": ") + e.getMessage());
            if (!problems.contains(problem)) {
                problems.add(problem);
            }
        }
    }

    /** The kind's own check of its parameters, reported at the line of the key it names. */
    private void checkParams(String kind, String stage, Map<String, Object> with, NodeTuple withEntry, MappingNode stageNode) {
        try {
            kinds.checkParams(kind, stage, with);
        } catch (ParameterException e) {
            problems.add(new Problem(file, paramLine(e.key(), withEntry, stageNode), e.getMessage()));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(file, paramLine(null, withEntry, stageNode), e.getMessage()));
        }
    }

    /**
     * The kind's check of every combination's parameters (its values over {@code with}), so an
     * unknown key or a wrong value in the matrix fails at its line; each message once.
     */
    private void checkCombinations(String kind, String stage, Map<String, Object> with, MatrixReader.Read matrix,
                                   NodeTuple withEntry, MappingNode stageNode) {
        Set<String> reported = new java.util.HashSet<>();
        for (Map<String, Object> combination : matrix.matrix().combinations()) {
            try {
                kinds.checkParams(kind, stage, Matrix.paramsFor(with, combination));
            } catch (IllegalArgumentException e) {
                String key = e instanceof ParameterException pe ? pe.key() : null;
                String top = key == null ? null : key.split("\\.")[0];
                int line = top != null && combination.containsKey(top)
                        ? matrix.keyLines().getOrDefault(top, matrix.line())
                        : top == null ? matrix.line() : paramLine(key, withEntry, stageNode);
                String message = "in the matrix: " + e.getMessage();
                if (reported.add(line + message)) {
                    problems.add(new Problem(file, line, message));
                }
            }
        }
    }

    /** The line of {@code with.KEY} (dotted for nested keys), else of {@code with:}, else of the stage. */
    private static int paramLine(String key, NodeTuple withEntry, MappingNode stageNode) {
        if (withEntry == null) {
            return NodeReader.line(stageNode);
        }
        int line = NodeReader.line(withEntry.getKeyNode());
        Node at = withEntry.getValueNode();
        if (key == null) {
            return line;
        }
        for (String part : key.split("\\.")) {
            NodeTuple found = at instanceof MappingNode m ? NodeReader.plainEntry(m, part) : null;
            if (found == null) {
                return line;
            }
            line = NodeReader.line(found.getKeyNode());
            at = found.getValueNode();
        }
        return line;
    }

    private List<Route> routes(NodeTuple entry, String label, MetricVocabulary vocabulary) {
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            return List.of();
        }
        if (!(entry.getValueNode() instanceof SequenceNode seq)) {
            problem(entry.getValueNode(), "'routes' in " + label + " must be a list of {when, to}");
            return List.of();
        }
        List<Route> routes = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode map)) {
                problem(item, "each route must be a mapping with 'when' and 'to', not a " + NodeReader.kindOf(item));
                continue;
            }
            Map<String, NodeTuple> keys = nodes.entries(map);
            rejectUnknownKeys(keys, ROUTE_KEYS, "key", " in a route of " + label);
            String when = required(keys, "when", map, "route in " + label + " has no 'when' (the condition)");
            String to = required(keys, "to", map, "route in " + label + " has no 'to' (the topic it sends to)");
            checkKafkaName(keys.get("to"), to, "topic");
            Condition condition = condition(keys.get("when"), when, vocabulary);
            if (condition != null && to != null) {
                routes.add(new Route(condition, to, NodeReader.line(map)));
            }
        }
        return routes;
    }

    private Condition condition(NodeTuple entry, String source, MetricVocabulary vocabulary) {
        if (source == null) {
            return null;
        }
        try {
            return Condition.parse(source, vocabulary);
        } catch (ConditionSyntaxException e) {
            problem(entry.getValueNode(), "cannot parse when '" + source + "' at column " + e.column() + ": " + e.reason());
            return null;
        }
    }

    /** The key's text; null after reporting if it is absent, empty or not a single value. */
    private String required(Map<String, NodeTuple> keys, String key, Node owner, String missingMessage) {
        NodeTuple entry = keys.get(key);
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            problem(entry == null ? owner : entry.getKeyNode(), missingMessage);
            return null;
        }
        return scalar(entry.getValueNode(), entry);
    }

    private String optional(Map<String, NodeTuple> keys, String key) {
        NodeTuple entry = keys.get(key);
        return entry == null || NodeReader.isNull(entry.getValueNode()) ? null : scalar(entry.getValueNode(), entry);
    }

    private String scalar(Node value, NodeTuple entry) {
        if (value instanceof ScalarNode s && NodeReader.tagged(s)) {
            problem(value, NodeReader.taggedMessage(key(entry)));
            return null;
        }
        if (value instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(value, "'" + key(entry) + "' must be a single value, not a " + NodeReader.kindOf(value));
        return null;
    }

    private void checkKafkaName(NodeTuple entry, String name, String what) {
        String why = name == null ? null : KafkaNames.whyIllegal(name);
        if (why != null) {
            problem(entry.getValueNode(), what + " '" + name + "' " + why);
        }
    }

    private void rejectUnknownKeys(Map<String, NodeTuple> keys, Set<String> allowed, String what, String where) {
        keys.forEach((key, entry) -> {
            if (!allowed.contains(key)) {
                problem(entry.getKeyNode(), "unknown " + what + " '" + key + "'" + where
                        + " (allowed: " + String.join(", ", allowed) + ")");
            }
        });
    }

    private static String key(NodeTuple entry) {
        return ((ScalarNode) entry.getKeyNode()).getValue();
    }

    private void problem(Node at, String message) {
        problems.add(new Problem(file, NodeReader.line(at), message));
    }

    private static Set<String> orderedSet(String... values) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(values)));
    }
}
