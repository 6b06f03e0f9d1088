package dev.topiary.surgery.graph;

import dev.topiary.surgery.UnsupportedModelException;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J MultiLayerNetwork or ComputationGraph behind one interface: the one place in Topiary that
 * knows the two differ (a list of layers keyed by index against a graph of named vertices, list
 * against map activations, one {@code fit} signature against another). Everything else (metrics,
 * training, pruning, edits) goes through this, so it is written once for both.
 *
 * <p>Methods that take examples accept rows shaped for the network or flat rows of a data set;
 * flat rows are reshaped as {@link InputShape#rows} says (to NCHW for an image input). Layers are
 * named as the network names them: a MultiLayerNetwork's layer names ({@code layer0, layer1, ...}
 * unless set), a graph's vertex names. Graphs must have one input and one output.
 *
 * <pre>{@code
 * Network net = Network.of(model);
 * INDArray probabilities = net.output(rows);
 * Map<String, INDArray> w = net.params("dense1");       // live: writes change the model
 * Network copy = net.copy();
 * }</pre>
 */
public sealed interface Network permits MultiLayerAdapter, GraphAdapter {

    /** The adapter for {@code model}; anything but the two network kinds is refused. */
    static Network of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return new MultiLayerAdapter(net);
        }
        if (model instanceof ComputationGraph graph) {
            return new GraphAdapter(graph);
        }
        throw new UnsupportedModelException("model of type " + (model == null ? "null" : model.getClass().getSimpleName())
                + " is not supported (supported: MultiLayerNetwork, ComputationGraph)");
    }

    Model model();

    /** True for a ComputationGraph. */
    boolean isGraph();

    /** What one example looks like to the network, as far as its configuration records it. */
    InputShape input();

    /** An editable copy of the structure: configurations, wiring, preprocessors. */
    Blueprint blueprint();

    /**
     * This network as a ComputationGraph: itself when it is one; a MultiLayerNetwork becomes a new
     * graph of the same layers, names and parameters, computing the same function (its updater
     * state starts fresh, as after any edit). For edits a chain cannot hold, such as a residual add.
     */
    default Network asGraph() {
        return isGraph() ? this : blueprint().buildGraph(Blueprint.ParamFill.COPY);
    }

    /** The configuration as DL4J writes it into a model zip ({@code configuration.json}). */
    String configurationJson();

    /** A deep copy: configuration, parameters and updater state. */
    Network copy();

    /** The network's layers, as DL4J built them from the configuration. */
    Layer[] layers();

    /** The live parameter arrays of a layer, keyed {@code W}, {@code b}, {@code gamma}, ...; empty for none. */
    Map<String, INDArray> params(String node);

    /** The layer's parameters as one flat live view, or null when it has none. */
    INDArray layerParams(String node);

    /** The gradient of a layer's parameter after {@link #computeGradientAndScore}, or null. */
    INDArray gradient(String node, String param);

    /** Size of the single output (the output layer's {@code nOut}). */
    long outputSize();

    /** The output in inference mode (dropout off, BatchNormalization on its running statistics). */
    INDArray output(INDArray input);

    /** Every node's output in inference mode, by node name, the network input included. */
    Map<String, INDArray> activations(INDArray input);

    /** Computes the gradient of the loss on these examples, in training mode (read with {@link #gradient}). */
    void computeGradientAndScore(INDArray features, INDArray labels);

    /** One DL4J optimisation step on these examples. */
    void fit(INDArray features, INDArray labels);

    /** The score DL4J computed in the last {@link #fit}: mean loss plus regularisation penalty. */
    double score();

    /** The regularisation penalty DL4J adds to scores, for the current weights. */
    double regularizationPenalty();

    /** The loss of each example in inference mode, without regularisation penalty: {@code [rows, 1]}. */
    INDArray rowLosses(INDArray features, INDArray labels);

    void setWorkspaceModes(WorkspaceMode mode);

    /** Drops the updater so the next step builds a fresh one, with zeroed state, from the layer configurations. */
    void dropUpdater();

    int iterationCount();

    void setIterationCount(int count);

    void incrementEpochCount();

    Collection<TrainingListener> listeners();

    void setListeners(Collection<TrainingListener> listeners);

    /** The flattened parameters: a live view, not a copy. */
    default INDArray params() {
        return model().params();
    }

    default DataType dataType() {
        return params().dataType();
    }
}
