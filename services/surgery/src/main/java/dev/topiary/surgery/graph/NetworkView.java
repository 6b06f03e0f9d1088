package dev.topiary.surgery.graph;

import dev.topiary.surgery.UnsupportedModelException;
import dev.topiary.surgery.layers.LayerRegistry;
import dev.topiary.surgery.layers.LayerRules;
import dev.topiary.surgery.layers.OpaqueRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network as one kind of graph of {@link Node}s in topological order, whatever DL4J class holds
 * it, with each node's {@link LayerRules}: what the dependency graph, importance criteria, index
 * maps, edits and the MAC counter are written against.
 *
 * <p>Building a view with {@link #of} is where unsupported models are refused: every layer and
 * vertex must be registered in the {@link LayerRegistry} (and pass its rules' checks), every
 * preprocessor must be a flattening ({@code CnnToFeedForwardPreProcessor}, NCHW) or its inverse,
 * and the first one outside raises {@link UnsupportedModelException} naming the operation, the
 * node and its type. {@link #describing} accepts any layer, for metrics and summaries.
 *
 * <pre>{@code
 * NetworkView view = NetworkView.of(model, "prune");
 * for (Node n : view.nodes()) { ... n.rules().channels() ... }
 * Map<String, NodeShape> shapes = view.shapes(InputShape.of(view.network()).inputType());
 * }</pre>
 */
public final class NetworkView {
    private static final String PREPROCESSORS = "preprocessors CnnToFeedForwardPreProcessor, FeedForwardToCnnPreProcessor";

    private final Network network;
    private final LayerRegistry registry;
    private final Map<String, Node> nodes;
    private final Map<String, List<String>> consumers;
    private final String output;

    private NetworkView(Network network, LayerRegistry registry, Map<String, Node> nodes, String output) {
        this.network = network;
        this.registry = registry;
        this.nodes = Collections.unmodifiableMap(nodes);
        this.output = output;
        Map<String, List<String>> c = new LinkedHashMap<>();
        nodes.keySet().forEach(n -> c.put(n, new ArrayList<>()));
        nodes.values().forEach(n -> n.inputs().forEach(in -> c.get(in).add(n.name())));
        this.consumers = c;
    }

    /** Views {@code model} with the standard registry, refusing what it does not support. */
    public static NetworkView of(Model model, String operation) {
        return of(withOperation(model, operation), LayerRegistry.standard(), operation);
    }

    /**
     * Views {@code network} with {@code registry}, refusing anything it does not support.
     *
     * @param operation named in error messages, e.g. {@code prune}
     */
    public static NetworkView of(Network network, LayerRegistry registry, String operation) {
        return build(network, registry, operation, true);
    }

    /** A view for describing any network (metrics, summaries): unregistered types get {@link OpaqueRules}. */
    public static NetworkView describing(Model model) {
        return build(Network.of(model), LayerRegistry.standard(), "describe", false);
    }

    private static Network withOperation(Model model, String operation) {
        try {
            return Network.of(model);
        } catch (UnsupportedModelException e) {
            throw new UnsupportedModelException(operation + ": " + e.getMessage());
        }
    }

    private static NetworkView build(Network network, LayerRegistry registry, String operation, boolean strict) {
        Blueprint b = network.blueprint();
        Map<String, Node> nodes = new LinkedHashMap<>();
        nodes.put(b.input(), new Node(b.input(), null, null, List.of(), null));
        for (Blueprint.Entry e : b.entries()) {
            LayerRules rules;
            if (strict) {
                checkPreprocessor(e.name(), e.preProcessor(), operation);
                rules = registry.rulesFor(e.config(), e.name(), operation);
            } else {
                rules = registry.find(e.config()).orElseGet(() -> new OpaqueRules(e.config().getClass()));
            }
            nodes.put(e.name(), new Node(e.name(), rules, e.config(), e.inputs(), e.preProcessor()));
        }
        return new NetworkView(network, registry, nodes, b.output());
    }

    private static void checkPreprocessor(String name, InputPreProcessor pre, String operation) {
        if (pre != null && pre.getClass() != CnnToFeedForwardPreProcessor.class
                && pre.getClass() != FeedForwardToCnnPreProcessor.class) {
            throw new UnsupportedModelException(operation + ": layer '" + name + "' has an input preprocessor of type "
                    + pre.getClass().getSimpleName() + " which is not supported (supported: " + PREPROCESSORS + ")");
        }
        if (pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NHWC) {
            throw new UnsupportedModelException(operation + ": layer '" + name + "' of type CnnToFeedForwardPreProcessor"
                    + " uses the NHWC data format; only NCHW is supported");
        }
    }

    public Network network() {
        return network;
    }

    public Model model() {
        return network.model();
    }

    public LayerRegistry registry() {
        return registry;
    }

    /** All nodes, the network input first, each after the nodes it reads. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no layer named '" + name + "' (layers: " + nodes.keySet() + ")");
        }
        return n;
    }

    public boolean has(String name) {
        return nodes.containsKey(name);
    }

    /** The network input node. */
    public Node input() {
        return nodes.values().iterator().next();
    }

    /** Names of the nodes that read {@code name}'s output. */
    public List<String> consumersOf(String name) {
        return List.copyOf(consumers.get(name));
    }

    /** The name of the network's output node. */
    public String output() {
        return output;
    }

    /** The live parameter arrays of a layer, keyed {@code W}, {@code b}, {@code gamma}, ...; writes go into the model. */
    public Map<String, INDArray> params(Node node) {
        return node.layer() == null ? Map.of() : network.params(node.name());
    }

    /** The gradient of a layer's parameter after {@code computeGradientAndScore}, or null. */
    public INDArray gradient(Node node, String param) {
        return network.gradient(node.name(), param);
    }

    /**
     * Every node's activation types for one example of type {@code input}, computed from the
     * configuration (no forward pass): what spatial sizes and channel counts each node sees.
     */
    public Map<String, NodeShape> shapes(InputType input) {
        Map<String, NodeShape> shapes = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            if (n.isInput()) {
                shapes.put(n.name(), new NodeShape(List.of(), input));
                continue;
            }
            List<InputType> in = new ArrayList<>();
            n.inputs().forEach(i -> in.add(shapes.get(i).output()));
            if (n.preProcessor() != null) {
                in.set(0, n.preProcessor().getOutputType(in.get(0)));
            }
            InputType out;
            try {
                out = n.config() instanceof Layer layer ? layer.getOutputType(-1, in.get(0))
                        : ((GraphVertex) n.config()).getOutputType(-1, in.toArray(InputType[]::new));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("layer '" + n.name() + "' (" + n.typeName() + ") cannot take input "
                        + in.stream().map(NodeShape::describe).toList() + ": " + e.getMessage(), e);
            }
            shapes.put(n.name(), new NodeShape(in, out));
        }
        return shapes;
    }
}
