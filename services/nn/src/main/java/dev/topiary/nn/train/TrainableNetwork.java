package dev.topiary.nn.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A MultiLayerNetwork or a one-input, one-output ComputationGraph seen through the few operations
 * the training loop needs, so the loop is written once for both.
 */
sealed interface TrainableNetwork {

    static TrainableNetwork of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return new Multi(net);
        }
        if (model instanceof ComputationGraph graph) {
            if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
                throw new IllegalArgumentException("Training needs a graph with one input and one output; this one has "
                        + graph.getNumInputArrays() + " inputs and " + graph.getNumOutputArrays() + " outputs");
            }
            return new Graph(graph);
        }
        throw new IllegalArgumentException("Training supports MultiLayerNetwork and ComputationGraph, not "
                + (model == null ? "null" : model.getClass().getName()));
    }

    Model model();

    Layer[] layers();

    /** One DL4J optimisation step on these rows. */
    void fit(INDArray features, INDArray labels);

    /** The score DL4J computed in the last {@link #fit}: mean loss plus regularisation penalty. */
    double lastScore();

    /** The regularisation penalty DL4J adds to scores, for the current weights. */
    double penalty();

    /** The loss of each row in inference mode, without regularisation penalty: {@code [rows, 1]}. */
    INDArray rowLosses(INDArray features, INDArray labels);

    INDArray output(INDArray features);

    /** The flattened parameters: a live view, not a copy. */
    default INDArray params() {
        return model().params();
    }

    default DataType dataType() {
        return params().dataType();
    }

    void setWorkspaceModes(WorkspaceMode mode);

    /** Drops the updater so the next step builds a fresh one, with zeroed state, from the layer configs. */
    void dropUpdater();

    int iterationCount();

    void setIterationCount(int count);

    void incrementEpochCount();

    Collection<TrainingListener> listeners();

    void setListeners(Collection<TrainingListener> listeners);

    record Multi(MultiLayerNetwork net) implements TrainableNetwork {
        public Model model() {
            return net;
        }

        public Layer[] layers() {
            return net.getLayers();
        }

        public void fit(INDArray features, INDArray labels) {
            net.fit(features, labels);
        }

        public double lastScore() {
            return net.score();
        }

        public double penalty() {
            return net.calcRegularizationScore(true);
        }

        public INDArray rowLosses(INDArray features, INDArray labels) {
            return net.scoreExamples(new DataSet(features, labels), false);
        }

        public INDArray output(INDArray features) {
            return net.output(features, false);
        }

        public void setWorkspaceModes(WorkspaceMode mode) {
            net.getLayerWiseConfigurations().setTrainingWorkspaceMode(mode);
            net.getLayerWiseConfigurations().setInferenceWorkspaceMode(mode);
        }

        public void dropUpdater() {
            net.setUpdater(null);
        }

        public int iterationCount() {
            return net.getLayerWiseConfigurations().getIterationCount();
        }

        public void setIterationCount(int count) {
            net.getLayerWiseConfigurations().setIterationCount(count);
        }

        public void incrementEpochCount() {
            net.incrementEpochCount();
        }

        public Collection<TrainingListener> listeners() {
            return new ArrayList<>(net.getListeners());
        }

        public void setListeners(Collection<TrainingListener> listeners) {
            net.setListeners(listeners);
        }
    }

    record Graph(ComputationGraph graph) implements TrainableNetwork {
        public Model model() {
            return graph;
        }

        public Layer[] layers() {
            return graph.getLayers();
        }

        public void fit(INDArray features, INDArray labels) {
            graph.fit(new INDArray[] {features}, new INDArray[] {labels});
        }

        public double lastScore() {
            return graph.score();
        }

        public double penalty() {
            return graph.calcRegularizationScore(true);
        }

        public INDArray rowLosses(INDArray features, INDArray labels) {
            return graph.scoreExamples(new DataSet(features, labels), false);
        }

        public INDArray output(INDArray features) {
            return graph.outputSingle(false, features);
        }

        public void setWorkspaceModes(WorkspaceMode mode) {
            graph.getConfiguration().setTrainingWorkspaceMode(mode);
            graph.getConfiguration().setInferenceWorkspaceMode(mode);
        }

        public void dropUpdater() {
            graph.setUpdater(null);
        }

        public int iterationCount() {
            return graph.getConfiguration().getIterationCount();
        }

        public void setIterationCount(int count) {
            graph.getConfiguration().setIterationCount(count);
        }

        public void incrementEpochCount() {
            graph.incrementEpochCount();
        }

        public Collection<TrainingListener> listeners() {
            return new ArrayList<>(graph.getListeners() == null ? List.of() : graph.getListeners());
        }

        public void setListeners(Collection<TrainingListener> listeners) {
            graph.setListeners(listeners);
        }
    }
}
