package dev.topiary.pruner.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A MultiLayerNetwork or ComputationGraph seen as one kind of graph of {@link Node}s in
 * topological order, so the dependency graph, the importance criteria and the rebuild are written
 * once for both.
 *
 * <p>Building the view is where unsupported models are refused: every layer, vertex and
 * preprocessor is checked against the list the pruner handles, and the first one outside it
 * raises {@link UnsupportedModelException} naming the operation, the layer and its type. Layer
 * classes are matched exactly, because subclasses (Convolution1DLayer, CenterLossOutputLayer, ...)
 * have different weight layouts.
 */
public final class NetworkView {
    public static final String SUPPORTED = "DenseLayer, OutputLayer, ConvolutionLayer, SubsamplingLayer, "
            + "BatchNormalization, DropoutLayer, ActivationLayer, ElementWiseVertex; preprocessors "
            + "CnnToFeedForwardPreProcessor, FeedForwardToCnnPreProcessor";

    private final Model model;
    private final Map<String, Node> nodes;
    private final Map<String, List<String>> consumers;
    private final List<String> outputs;

    private NetworkView(Model model, Map<String, Node> nodes, List<String> outputs) {
        this.model = model;
        this.nodes = Collections.unmodifiableMap(nodes);
        this.outputs = List.copyOf(outputs);
        Map<String, List<String>> c = new LinkedHashMap<>();
        nodes.keySet().forEach(n -> c.put(n, new ArrayList<>()));
        nodes.values().forEach(n -> n.inputs().forEach(in -> c.get(in).add(n.name())));
        this.consumers = c;
    }

    /**
     * Views {@code model}, refusing anything the pruner does not support.
     *
     * @param operation named in error messages, e.g. {@code prune}
     */
    public static NetworkView of(Model model, String operation) {
        if (model instanceof MultiLayerNetwork net) {
            return ofMultiLayer(net, operation);
        }
        if (model instanceof ComputationGraph graph) {
            return ofGraph(graph, operation);
        }
        throw new UnsupportedModelException(operation + ": model of type "
                + (model == null ? "null" : model.getClass().getSimpleName())
                + " is not supported (supported: MultiLayerNetwork, ComputationGraph)");
    }

    private static NetworkView ofMultiLayer(MultiLayerNetwork net, String operation) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Map<String, Node> nodes = new LinkedHashMap<>();
        String previous = "input";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            names.add(layer.getLayerName() == null ? "layer" + i : layer.getLayerName());
        }
        while (names.contains(previous)) {
            previous = "_" + previous; // a layer may legitimately be called "input"
        }
        nodes.put(previous, new Node(previous, NodeKind.INPUT, List.of(), null, null, null, -1));
        for (int i = 0; i < names.size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            NodeKind kind = kindOf(names.get(i), layer, pre, operation);
            nodes.put(names.get(i), new Node(names.get(i), kind, List.of(previous), layer, pre, String.valueOf(i), i));
            previous = names.get(i);
        }
        return new NetworkView(net, nodes, List.of(previous));
    }

    private static NetworkView ofGraph(ComputationGraph graph, String operation) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, Node> unordered = new LinkedHashMap<>();
        for (String in : conf.getNetworkInputs()) {
            unordered.put(in, new Node(in, NodeKind.INPUT, List.of(), null, null, null, -1));
        }
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String name = e.getKey();
            List<String> inputs = List.copyOf(conf.getVertexInputs().getOrDefault(name, List.of()));
            GraphVertex v = e.getValue();
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                InputPreProcessor pre = lv.getPreProcessor();
                unordered.put(name, new Node(name, kindOf(name, layer, pre, operation), inputs, layer, pre, name, -1));
            } else if (v instanceof ElementWiseVertex) {
                unordered.put(name, new Node(name, NodeKind.ELEMENT_WISE, inputs, null, null, name, -1));
            } else {
                throw new UnsupportedModelException(operation + ": vertex '" + name + "' of type "
                        + v.getClass().getSimpleName() + " is not supported (supported: " + SUPPORTED + ")");
            }
        }
        return new NetworkView(graph, topological(unordered), conf.getNetworkOutputs());
    }

    /** Kahn's algorithm, stable in configuration order so the result does not vary between runs. */
    private static Map<String, Node> topological(Map<String, Node> unordered) {
        Map<String, Integer> pending = new LinkedHashMap<>();
        unordered.values().forEach(n -> pending.put(n.name(), n.inputs().size()));
        Map<String, Node> ordered = new LinkedHashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        pending.forEach((n, k) -> {
            if (k == 0) {
                ready.add(n);
            }
        });
        while (!ready.isEmpty()) {
            String n = ready.poll();
            ordered.put(n, unordered.get(n));
            for (Node m : unordered.values()) {
                if (m.inputs().contains(n) && pending.merge(m.name(), -(int) m.inputs().stream().filter(n::equals).count(), Integer::sum) == 0) {
                    ready.add(m.name());
                }
            }
        }
        if (ordered.size() != unordered.size()) {
            throw new IllegalStateException("graph has a cycle or an input that is not defined");
        }
        return ordered;
    }

    private static NodeKind kindOf(String name, Layer layer, InputPreProcessor pre, String operation) {
        if (pre != null && pre.getClass() != CnnToFeedForwardPreProcessor.class
                && pre.getClass() != FeedForwardToCnnPreProcessor.class) {
            throw new UnsupportedModelException(operation + ": layer '" + name + "' has an input preprocessor of type "
                    + pre.getClass().getSimpleName() + " which is not supported (supported: " + SUPPORTED + ")");
        }
        if (pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NHWC) {
            throw nhwc(name, "CnnToFeedForwardPreProcessor", operation);
        }
        Class<?> c = layer.getClass();
        if (c == DenseLayer.class) {
            return NodeKind.DENSE;
        } else if (c == OutputLayer.class) {
            return NodeKind.OUTPUT;
        } else if (c == ConvolutionLayer.class) {
            if (((ConvolutionLayer) layer).getCnn2dDataFormat() == CNN2DFormat.NHWC) {
                throw nhwc(name, "ConvolutionLayer", operation);
            }
            return NodeKind.CONVOLUTION;
        } else if (c == SubsamplingLayer.class) {
            if (((SubsamplingLayer) layer).getCnn2dDataFormat() == CNN2DFormat.NHWC) {
                throw nhwc(name, "SubsamplingLayer", operation);
            }
            return NodeKind.SUBSAMPLING;
        } else if (c == BatchNormalization.class) {
            if (((BatchNormalization) layer).getCnn2DFormat() == CNN2DFormat.NHWC) {
                throw nhwc(name, "BatchNormalization", operation);
            }
            return NodeKind.BATCH_NORMALIZATION;
        } else if (c == DropoutLayer.class) {
            return NodeKind.DROPOUT;
        } else if (c == ActivationLayer.class) {
            return NodeKind.ACTIVATION;
        }
        throw new UnsupportedModelException(operation + ": layer '" + name + "' of type " + c.getSimpleName()
                + " is not supported (supported: " + SUPPORTED + ")");
    }

    // Channel indices are located by the NCHW layout throughout; NHWC would need every index rule twice.
    private static UnsupportedModelException nhwc(String name, String type, String operation) {
        return new UnsupportedModelException(operation + ": layer '" + name + "' of type " + type
                + " uses the NHWC data format; only NCHW is supported");
    }

    public Model model() {
        return model;
    }

    /** All nodes, network inputs first, each after the nodes it reads. */
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


    /** Names of the nodes that read {@code name}'s output. */
    public List<String> consumersOf(String name) {
        return consumers.get(name);
    }

    /** Names of the network's output nodes. */
    public List<String> outputs() {
        return outputs;
    }


    /** The live parameter arrays of a layer, keyed {@code W}, {@code b}, {@code gamma}, ...; writes go into the model. */
    public Map<String, INDArray> params(Node node) {
        org.deeplearning4j.nn.api.Layer layer = model instanceof MultiLayerNetwork net
                ? net.getLayer(node.index())
                : ((ComputationGraph) model).getLayer(node.name());
        return layer.paramTable();
    }

    /** The gradient of a layer's parameter after {@code computeGradientAndScore()}, or null. */
    public INDArray gradient(Node node, String param) {
        return model.gradient().getGradientFor(node.paramPrefix() + "_" + param);
    }
}
