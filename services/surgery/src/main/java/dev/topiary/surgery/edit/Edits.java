package dev.topiary.surgery.edit;

import dev.topiary.surgery.UnsupportedModelException;
import dev.topiary.surgery.graph.Blueprint;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.NodeShape;
import dev.topiary.surgery.layers.LayerRegistry;
import dev.topiary.surgery.layers.LayerRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Node edits on one network: remove a layer or vertex and rewire its readers, insert a layer (or a
 * chain of layers) after a node, replace a run of layers by one or by a chain, insert a residual
 * block. Every edit returns a new, initialised network of the same kind (the original is not
 * changed) whose surviving layers keep their parameters, after checking that every layer reads
 * what its configuration says (else an {@link IllegalArgumentException} names the layer and both
 * shapes). The result saves and loads with ModelSerializer like any network; its updater state
 * starts fresh.
 *
 * <pre>{@code
 * Edits edits = Edits.of(Network.of(model));                // or Edits.of(network, resolvedShape)
 * Network shorter = edits.remove("block2_conv2_bn");
 * Network deeper = edits.insertIdentityAfter("dense1", "dense1b",
 *         new DenseLayer.Builder().nOut(300).activation(Activation.RELU).build());
 * Network cut = edits.removeKeeping("block3_add", "block2_relu");   // drop block 3's branch
 * }</pre>
 *
 * New layers get their {@code nIn} (when unset) and any flattening preprocessor from the shape
 * arriving; other settings they do not set come from DL4J's defaults, with the network's seed,
 * data type and the updater of its first layer.
 */
public final class Edits {
    private final Network network;
    private final InputType input;
    private final NetworkView view;
    private final Map<String, NodeShape> shapes;

    private Edits(Network network, InputShape shape) {
        this.network = network;
        this.input = shape.inputType();
        this.view = NetworkView.of(network, LayerRegistry.standard(), "edit");
        this.shapes = view.shapes(input);
    }

    /** Edits of {@code network}, whose configuration must record its input size. */
    public static Edits of(Network network) {
        return new Edits(network, network.input());
    }

    /** Edits of {@code network} reading examples of {@code shape} (e.g. resolved against a data set). */
    public static Edits of(Network network, InputShape shape) {
        return new Edits(network, shape);
    }

    /** The activation types of the network being edited. */
    public Map<String, NodeShape> shapes() {
        return shapes;
    }

    /**
     * Removes a layer or single-input vertex; its readers read its input instead (a flattening in
     * front of it moves to its reader). Its output must have the shape of its input, or the readers'
     * shape check fails.
     */
    public Network remove(String node) {
        Node n = existing(node);
        if (n.inputs().size() != 1) {
            throw new IllegalArgumentException("remove: '" + node + "' reads " + n.inputs().size()
                    + " inputs; say which one its readers should read instead (removeKeeping)");
        }
        return removeKeeping(node, n.input());
    }

    /**
     * Removes {@code node} and makes its readers read {@code keep}, one of its inputs; nodes that then
     * feed nothing are removed too. For a residual add, {@code keep} is the skip path: the block's
     * branch goes with it.
     */
    public Network removeKeeping(String node, String keep) {
        Node n = existing(node);
        if (!n.inputs().contains(keep)) {
            throw new IllegalArgumentException("remove: '" + node + "' does not read '" + keep + "' (it reads "
                    + n.inputs() + ")");
        }
        if (node.equals(view.output())) {
            throw new IllegalArgumentException("remove: '" + node + "' is the network output");
        }
        Blueprint b = network.blueprint();
        InputPreProcessor pre = b.entry(node).preProcessor();
        List<String> readers = b.consumersOf(node);
        if (pre != null && readers.size() == 1 && b.entry(readers.get(0)).preProcessor() == null) {
            b.entry(readers.get(0)).setPreProcessor(pre);
        }
        b.rewire(node, keep);
        b.remove(node);
        removeDead(b);
        return checked(b, Blueprint.ParamFill.COPY, "remove '" + node + "'");
    }

    /**
     * Inserts {@code layer}, named {@code name}, reading {@code after}'s output; {@code after}'s readers
     * read the new layer instead.
     *
     * @param params its parameters by name, or null for DL4J's initialisation
     */
    public Network insertAfter(String after, String name, Layer layer, Map<String, INDArray> params) {
        Blueprint b = prepareInsert(after, name, layer);
        b.entry(name).setParams(params);
        return checked(b, Blueprint.ParamFill.COPY, "insert '" + name + "' after '" + after + "'");
    }

    /**
     * Inserts a layer that computes the identity (Net2DeeperNet): a Dense layer with {@code W = I}, a
     * same-padded convolution with a centred one-hot kernel, or a parameterless identity (linear or
     * ReLU activation after a ReLU, dropout). Refused, with the reason, for a configuration that cannot be one.
     */
    public Network insertIdentityAfter(String after, String name, Layer layer) {
        Blueprint b = prepareInsert(after, name, layer);
        LayerRules rules = LayerRegistry.standard().rulesFor(layer, name, "insert");
        Blueprint.ParamFill fill = (entry, from, to) -> {
            if (entry.name().equals(name)) {
                identity(rules, layer, name, to);
            } else {
                Blueprint.ParamFill.COPY.fill(entry, from, to);
            }
        };
        if (!hasParams(layer)) {
            identity(rules, layer, name, Map.of()); // no parameters to fill: the configuration alone decides
        }
        return checked(b, fill, "insert identity '" + name + "' after '" + after + "'");
    }

    private static boolean hasParams(Layer layer) {
        return layer.initializer().numParams(layer) > 0;
    }

    private static void identity(LayerRules rules, Layer layer, String name, Map<String, INDArray> params) {
        Optional<String> why = rules.makeIdentity(layer, params);
        if (why.isPresent()) {
            throw new IllegalArgumentException("insert identity '" + name + "': " + why.get());
        }
    }

    private Blueprint prepareInsert(String after, String name, Layer layer) {
        existing(after);
        if (after.equals(view.output())) {
            throw new IllegalArgumentException("insert: '" + after + "' is the network output; insert before it");
        }
        Blueprint b = network.blueprint();
        List<String> readers = b.consumersOf(after);
        InputType arriving = shapes.get(after).output();
        InputPreProcessor pre = layer.getPreProcessorForInputType(arriving);
        layer.setNIn(pre == null ? arriving : pre.getOutputType(arriving), false);
        b.addLayer(after, name, layer, pre, List.of(after), null);
        for (String r : readers) {
            Blueprint.Entry e = b.entry(r);
            List<String> inputs = new ArrayList<>(e.inputs());
            inputs.replaceAll(i -> i.equals(after) ? name : i);
            e.setInputs(inputs);
        }
        return b;
    }

    /**
     * Replaces {@code run}, layers each reading only the one before and read only by the one after,
     * by {@code layer}: it reads the first's input, and the last's readers read it. Its output must
     * have the shape of the last layer's output.
     *
     * @param params its parameters by name, or null for DL4J's initialisation
     */
    public Network replace(List<String> run, String name, Layer layer, Map<String, INDArray> params) {
        return replace(run, List.of(new NamedLayer(name, layer)), Collections.singletonList(params));
    }

    /**
     * Replaces {@code run} as {@link #replace(List, String, Layer, Map)} does, by a chain of layers
     * (each reading the one before; a cut's low-rank bridge is two). The chain's output must have
     * the shape of the run's.
     *
     * @param params each layer's parameters by name, or null (the list or an element) for DL4J's initialisation
     */
    public Network replace(List<String> run, List<NamedLayer> chain, List<Map<String, INDArray>> params) {
        if (run.isEmpty() || chain.isEmpty()) {
            throw new IllegalArgumentException("replace: no layers given");
        }
        for (int i = 0; i < run.size(); i++) {
            Node n = existing(run.get(i));
            if (n.inputs().size() != 1 || (i > 0 && !n.input().equals(run.get(i - 1)))) {
                throw new IllegalArgumentException("replace: '" + n.name() + "' does not read only '"
                        + (i > 0 ? run.get(i - 1) : "one input") + "': " + run + " is not a run of layers");
            }
            if (i < run.size() - 1 && !view.consumersOf(n.name()).equals(List.of(run.get(i + 1)))) {
                throw new IllegalArgumentException("replace: '" + n.name() + "' is also read by "
                        + view.consumersOf(n.name()) + ", outside " + run);
            }
        }
        String first = run.get(0);
        String last = run.get(run.size() - 1);
        String before = existing(first).input();
        Blueprint b = network.blueprint();
        InputType arriving = shapes.get(before).output();
        InputPreProcessor firstPre = b.entry(first).preProcessor();
        int at = b.entries().indexOf(b.entry(first));
        String anchor = at == 0 ? b.input() : b.entries().get(at - 1).name(); // the chain takes the run's place
        String end = addChain(b, anchor, before, arriving, firstPre, chain, params);
        b.rewire(last, end);
        for (int i = run.size() - 1; i >= 0; i--) {
            b.remove(run.get(i));
        }
        String what = "replace " + run + " by " + chain.stream().map(l -> "'" + l.name() + "'").toList();
        Network replaced = checked(b, Blueprint.ParamFill.COPY, what);
        InputType now = NetworkView.describing(replaced.model()).shapes(input).get(end).output();
        if (!now.equals(shapes.get(last).output())) {
            throw new IllegalArgumentException(what + ": '" + end + "' outputs " + NodeShape.describe(now)
                    + " where '" + last + "' output " + NodeShape.describe(shapes.get(last).output()));
        }
        return replaced;
    }

    /**
     * Inserts a chain of layers after {@code after}, each reading the one before; {@code after}'s
     * readers read the chain's last layer, whose output must fit them.
     *
     * @param params each layer's parameters by name, or null (the list or an element) for DL4J's initialisation
     */
    public Network insertAfter(String after, List<NamedLayer> chain, List<Map<String, INDArray>> params) {
        existing(after);
        if (after.equals(view.output())) {
            throw new IllegalArgumentException("insert: '" + after + "' is the network output; insert before it");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("insert: no layers given");
        }
        Blueprint b = network.blueprint();
        List<String> readers = b.consumersOf(after);
        String end = addChain(b, after, after, shapes.get(after).output(), null, chain, params);
        for (String r : readers) {
            Blueprint.Entry e = b.entry(r);
            List<String> inputs = new ArrayList<>(e.inputs());
            inputs.replaceAll(i -> i.equals(after) ? end : i);
            e.setInputs(inputs);
        }
        return checked(b, Blueprint.ParamFill.COPY, "insert " + chain.stream().map(l -> "'" + l.name() + "'").toList()
                + " after '" + after + "'");
    }

    /**
     * Adds {@code chain} to {@code b} at {@code anchor}'s position, its first layer reading
     * {@code source} (of type {@code arriving}, through {@code firstPre} or the flattening it needs);
     * returns the name of the last.
     */
    private static String addChain(Blueprint b, String anchor, String source, InputType arriving, InputPreProcessor firstPre,
            List<NamedLayer> chain, List<Map<String, INDArray>> params) {
        String previous = source;
        String position = anchor;
        for (int i = 0; i < chain.size(); i++) {
            Layer layer = chain.get(i).layer();
            InputPreProcessor pre = i == 0 && firstPre != null ? firstPre : layer.getPreProcessorForInputType(arriving);
            InputType in = pre == null ? arriving : pre.getOutputType(arriving);
            layer.setNIn(in, false);
            b.addLayer(position, chain.get(i).name(), layer, pre, List.of(previous), params == null ? null : params.get(i));
            arriving = layer.getOutputType(-1, in);
            previous = chain.get(i).name();
            position = previous;
        }
        return previous;
    }

    /**
     * Inserts a residual block after {@code after}: {@code branch} (named layers, in order) reads
     * {@code after}, an element-wise add {@code addName} sums {@code after} and the branch's end, and
     * {@code after}'s readers read the sum. With {@code startAsIdentity}, the branch's last layer with
     * parameters starts at zero (as ResNet's zero-initialised last BatchNormalization), so the block
     * adds nothing and the network computes what it did. Needs a ComputationGraph
     * ({@link Network#asGraph} turns a MultiLayerNetwork into one first).
     */
    public Network insertResidualBlock(String after, List<NamedLayer> branch, String addName, boolean startAsIdentity) {
        if (!network.isGraph()) {
            throw new UnsupportedModelException("insert residual block: a MultiLayerNetwork cannot hold an "
                    + "element-wise add; the network must be a ComputationGraph (Network.asGraph makes one of it)");
        }
        if (branch.isEmpty()) {
            throw new IllegalArgumentException("insert residual block: the branch has no layers");
        }
        existing(after);
        if (after.equals(view.output())) {
            throw new IllegalArgumentException("insert residual block: '" + after + "' is the network output");
        }
        Blueprint b = network.blueprint();
        List<String> readers = b.consumersOf(after);
        InputType arriving = shapes.get(after).output();
        String previous = after;
        String zeroed = null;
        for (NamedLayer l : branch) {
            InputPreProcessor pre = l.layer().getPreProcessorForInputType(arriving);
            l.layer().setNIn(pre == null ? arriving : pre.getOutputType(arriving), false);
            b.addLayer(previous, l.name(), l.layer(), pre, List.of(previous), null);
            arriving = l.layer().getOutputType(-1, pre == null ? arriving : pre.getOutputType(arriving));
            if (hasParams(l.layer())) {
                zeroed = l.name();
            }
            previous = l.name();
        }
        b.addVertex(previous, addName, new ElementWiseVertex(ElementWiseVertex.Op.Add), List.of(after, previous));
        for (String r : readers) {
            Blueprint.Entry e = b.entry(r);
            List<String> inputs = new ArrayList<>(e.inputs());
            inputs.replaceAll(i -> i.equals(after) ? addName : i);
            e.setInputs(inputs);
        }
        String zero = startAsIdentity ? zeroed : null;
        if (startAsIdentity && zero == null) {
            throw new IllegalArgumentException("insert residual block: no branch layer has parameters to start at zero");
        }
        Blueprint.ParamFill fill = (entry, from, to) -> {
            if (entry.name().equals(zero)) {
                to.values().forEach(p -> p.assign(0));
            } else {
                Blueprint.ParamFill.COPY.fill(entry, from, to);
            }
        };
        return checked(b, fill, "insert residual block '" + addName + "' after '" + after + "'");
    }

    /** A layer with the name it gets in the network. */
    public record NamedLayer(String name, Layer layer) {
    }

    private Node existing(String node) {
        if (!view.has(node) || view.node(node).isInput()) {
            throw new IllegalArgumentException("edit: no layer or vertex named '" + node + "' (nodes: "
                    + view.nodes().stream().filter(n -> !n.isInput()).map(Node::name).toList() + ")");
        }
        return view.node(node);
    }

    /** Drops entries whose output no longer reaches the network output. */
    private static void removeDead(Blueprint b) {
        Set<String> live = new HashSet<>();
        live.add(b.output());
        List<Blueprint.Entry> entries = b.entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (live.contains(entries.get(i).name())) {
                live.addAll(entries.get(i).inputs());
            }
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            String name = entries.get(i).name();
            if (!live.contains(name)) {
                b.remove(name);
            }
        }
    }

    private Network checked(Blueprint b, Blueprint.ParamFill fill, String what) {
        Network edited;
        try {
            edited = b.build(fill);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        ShapeCheck.check(edited, input, shapes.get(view.output()).output(), what);
        return edited;
    }
}
