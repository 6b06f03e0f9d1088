package dev.topiary.surgery.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link Network} over a MultiLayerNetwork: layers by index, their names from the configuration. */
final class MultiLayerAdapter implements Network {
    private final MultiLayerNetwork net;
    private final List<String> names;
    private final String inputName;
    private InputShape input;

    MultiLayerAdapter(MultiLayerNetwork net) {
        this.net = net;
        this.names = names(net.getLayerWiseConfigurations());
        String in = "input";
        while (names.contains(in)) {
            in = "_" + in; // a layer may legitimately be called "input"
        }
        this.inputName = in;
    }

    static List<String> names(MultiLayerConfiguration conf) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            String name = conf.getConf(i).getLayer().getLayerName();
            names.add(name == null ? "layer" + i : name);
        }
        return names;
    }

    MultiLayerNetwork net() {
        return net;
    }

    String inputName() {
        return inputName;
    }

    List<String> names() {
        return names;
    }

    int index(String node) {
        int i = names.indexOf(node);
        if (i < 0) {
            throw new IllegalArgumentException("no layer named '" + node + "' (layers: " + names + ")");
        }
        return i;
    }

    @Override
    public Model model() {
        return net;
    }

    @Override
    public boolean isGraph() {
        return false;
    }

    @Override
    public synchronized InputShape input() {
        if (input == null) {
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
            for (int i = 0; i < conf.getConfs().size() && input == null; i++) {
                input = InputShape.fromFirstLayer(names.get(i), conf.getConf(i).getLayer(), conf.getInputPreProcess(i));
            }
            if (input == null) {
                input = InputShape.unknown("no layer records it");
            }
        }
        return input;
    }

    @Override
    public Blueprint blueprint() {
        return Blueprint.of(this);
    }

    @Override
    public String configurationJson() {
        return net.getLayerWiseConfigurations().toJson();
    }

    @Override
    public Network copy() {
        return new MultiLayerAdapter(net.clone());
    }

    @Override
    public Layer[] layers() {
        return net.getLayers();
    }

    @Override
    public Map<String, INDArray> params(String node) {
        return net.getLayer(index(node)).paramTable();
    }

    @Override
    public INDArray layerParams(String node) {
        INDArray p = net.getLayer(index(node)).params();
        return p == null || p.isEmpty() ? null : p;
    }

    @Override
    public INDArray gradient(String node, String param) {
        return net.gradient().getGradientFor(index(node) + "_" + param);
    }

    @Override
    public long outputSize() {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        var last = conf.getConf(conf.getConfs().size() - 1).getLayer();
        if (!(last instanceof FeedForwardLayer ff)) {
            throw new IllegalArgumentException("Output layer '" + last.getLayerName() + "' is a "
                    + last.getClass().getSimpleName() + " with no nOut");
        }
        return ff.getNOut();
    }

    @Override
    public INDArray output(INDArray input) {
        return net.output(input().rows(input), false);
    }

    @Override
    public Map<String, INDArray> activations(INDArray input) {
        List<INDArray> acts = net.feedForward(input().rows(input), false);
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(inputName, acts.get(0));
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), acts.get(i + 1));
        }
        return out;
    }

    @Override
    public void computeGradientAndScore(INDArray features, INDArray labels) {
        net.setInput(input().rows(features));
        net.setLabels(labels);
        net.computeGradientAndScore();
    }

    @Override
    public void fit(INDArray features, INDArray labels) {
        net.fit(input().rows(features), labels);
    }

    @Override
    public double score() {
        return net.score();
    }

    @Override
    public double regularizationPenalty() {
        return net.calcRegularizationScore(true);
    }

    @Override
    public INDArray rowLosses(INDArray features, INDArray labels) {
        return net.scoreExamples(new DataSet(input().rows(features), labels), false);
    }

    @Override
    public void setWorkspaceModes(WorkspaceMode mode) {
        net.getLayerWiseConfigurations().setTrainingWorkspaceMode(mode);
        net.getLayerWiseConfigurations().setInferenceWorkspaceMode(mode);
    }

    @Override
    public void dropUpdater() {
        net.setUpdater(null);
    }

    @Override
    public int iterationCount() {
        return net.getLayerWiseConfigurations().getIterationCount();
    }

    @Override
    public void setIterationCount(int count) {
        net.getLayerWiseConfigurations().setIterationCount(count);
    }

    @Override
    public void incrementEpochCount() {
        net.incrementEpochCount();
    }

    @Override
    public Collection<TrainingListener> listeners() {
        return new ArrayList<>(net.getListeners());
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
        net.setListeners(listeners);
    }
}
