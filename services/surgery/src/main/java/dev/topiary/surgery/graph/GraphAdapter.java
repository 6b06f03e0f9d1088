package dev.topiary.surgery.graph;

import dev.topiary.surgery.UnsupportedModelException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link Network} over a ComputationGraph with one input and one output: vertices by name. */
final class GraphAdapter implements Network {
    private final ComputationGraph graph;
    private InputShape input;

    GraphAdapter(ComputationGraph graph) {
        this.graph = graph;
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedModelException("graphs with " + conf.getNetworkInputs().size() + " inputs and "
                    + conf.getNetworkOutputs().size() + " outputs are not supported (one input and one output needed)");
        }
    }

    ComputationGraph graph() {
        return graph;
    }

    @Override
    public Model model() {
        return graph;
    }

    @Override
    public boolean isGraph() {
        return true;
    }

    @Override
    public synchronized InputShape input() {
        if (input == null) {
            input = findInput();
        }
        return input;
    }

    /** Follows the input through layers that do not say what they read (activations, pooling) to one that does. */
    private InputShape findInput() {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> frontier = List.of(conf.getNetworkInputs().get(0));
        for (int depth = 0; depth < conf.getVertices().size() && !frontier.isEmpty(); depth++) {
            List<String> next = new ArrayList<>();
            for (Map.Entry<String, List<String>> edge : conf.getVertexInputs().entrySet()) {
                if (edge.getValue().stream().noneMatch(frontier::contains)) {
                    continue;
                }
                if (conf.getVertices().get(edge.getKey()) instanceof LayerVertex lv) {
                    InputShape s = InputShape.fromFirstLayer(edge.getKey(), lv.getLayerConf().getLayer(), lv.getPreProcessor());
                    if (s != null) {
                        return s;
                    }
                }
                next.add(edge.getKey());
            }
            frontier = next;
        }
        return InputShape.unknown("no layer fed by input '" + conf.getNetworkInputs().get(0) + "' records it");
    }

    @Override
    public Blueprint blueprint() {
        return Blueprint.of(this);
    }

    @Override
    public String configurationJson() {
        return graph.getConfiguration().toJson();
    }

    @Override
    public Network copy() {
        return new GraphAdapter(graph.clone());
    }

    @Override
    public Layer[] layers() {
        return graph.getLayers();
    }

    @Override
    public Map<String, INDArray> params(String node) {
        return layer(node).paramTable();
    }

    @Override
    public INDArray layerParams(String node) {
        INDArray p = layer(node).params();
        return p == null || p.isEmpty() ? null : p;
    }

    private Layer layer(String node) {
        Layer layer = graph.getLayer(node);
        if (layer == null) {
            throw new IllegalArgumentException("no layer named '" + node + "' (vertices: "
                    + graph.getConfiguration().getVertices().keySet() + ")");
        }
        return layer;
    }

    @Override
    public INDArray gradient(String node, String param) {
        return graph.gradient().getGradientFor(node + "_" + param);
    }

    @Override
    public long outputSize() {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        String out = conf.getNetworkOutputs().get(0);
        GraphVertex vertex = conf.getVertices().get(out);
        if (!(vertex instanceof LayerVertex lv)) {
            throw new IllegalArgumentException("Output vertex '" + out + "' is a " + vertex.getClass().getSimpleName()
                    + ", not a layer");
        }
        var layer = lv.getLayerConf().getLayer();
        if (!(layer instanceof FeedForwardLayer ff)) {
            throw new IllegalArgumentException("Output layer '" + out + "' is a " + layer.getClass().getSimpleName()
                    + " with no nOut");
        }
        return ff.getNOut();
    }

    @Override
    public INDArray output(INDArray input) {
        return graph.outputSingle(false, input().rows(input));
    }

    @Override
    public Map<String, INDArray> activations(INDArray input) {
        return graph.feedForward(input().rows(input), false);
    }

    @Override
    public void computeGradientAndScore(INDArray features, INDArray labels) {
        graph.setInputs(input().rows(features));
        graph.setLabels(labels);
        graph.computeGradientAndScore();
    }

    @Override
    public void fit(INDArray features, INDArray labels) {
        graph.fit(new INDArray[] {input().rows(features)}, new INDArray[] {labels});
    }

    @Override
    public double score() {
        return graph.score();
    }

    @Override
    public double regularizationPenalty() {
        return graph.calcRegularizationScore(true);
    }

    @Override
    public INDArray rowLosses(INDArray features, INDArray labels) {
        return graph.scoreExamples(new DataSet(input().rows(features), labels), false);
    }

    @Override
    public void setWorkspaceModes(WorkspaceMode mode) {
        graph.getConfiguration().setTrainingWorkspaceMode(mode);
        graph.getConfiguration().setInferenceWorkspaceMode(mode);
    }

    @Override
    public void dropUpdater() {
        graph.setUpdater(null);
    }

    @Override
    public int iterationCount() {
        return graph.getConfiguration().getIterationCount();
    }

    @Override
    public void setIterationCount(int count) {
        graph.getConfiguration().setIterationCount(count);
    }

    @Override
    public void incrementEpochCount() {
        graph.incrementEpochCount();
    }

    @Override
    public Collection<TrainingListener> listeners() {
        return new ArrayList<>(graph.getListeners() == null ? List.of() : graph.getListeners());
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
        graph.setListeners(listeners);
    }
}
