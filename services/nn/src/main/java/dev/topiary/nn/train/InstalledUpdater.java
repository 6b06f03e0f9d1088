package dev.topiary.nn.train;

import dev.topiary.surgery.graph.Network;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training configuration's updater, written into an existing network, whatever it was built
 * or last trained with.
 *
 * <p>DL4J keeps the updater and regularisation in each layer's configuration and builds its
 * optimiser ({@code MultiLayerUpdater} / {@code ComputationGraphUpdater}) from them once, on first
 * use; the optimiser then holds its own references and state. Changing the layer configurations
 * of a network that has already trained (or was loaded with its updater state) therefore changes
 * nothing until the optimiser is rebuilt. So {@link #install}:
 * <ol>
 *   <li>sets one shared {@link IUpdater} instance as every parameterised layer's updater (biases
 *       included) and replaces the regularisation with {@link WeightDecay} on weights only. One
 *       instance means all layers fall into one DL4J updater block, and the learning rate can be
 *       moved every step by mutating it ({@link #setLearningRate}), which the live optimiser sees
 *       because it holds that same instance;</li>
 *   <li>turns workspaces on for training and inference (DL4J's default, but a loaded network may
 *       carry NONE, which allocates every activation afresh);</li>
 *   <li>drops the optimiser ({@code setUpdater(null)}), so the next step builds a new one with zeroed
 *       state: old Adam moments belong to another rate, maybe another updater (their sizes differ),
 *       and to weights a pruner may since have zeroed; and training then depends only on the
 *       weights and this configuration, not on hidden optimiser state in the artifact;</li>
 *   <li>resets the iteration count to 0, because Adam's bias correction is keyed to it: fresh
 *       moments with a large old count would make the first steps about three times too large.</li>
 * </ol>
 * Layers without a {@link BaseLayer} configuration but with parameters (a frozen layer) keep
 * their own updater, which is what freezing means.
 */
final class InstalledUpdater {
    private static final Logger log = LoggerFactory.getLogger(InstalledUpdater.class);

    private final IUpdater updater;
    private final TrainingConfig config;

    private InstalledUpdater(IUpdater updater, TrainingConfig config) {
        this.updater = updater;
        this.config = config;
    }

    static InstalledUpdater install(Network net, TrainingConfig config) {
        IUpdater updater = create(config);
        for (Layer layer : net.layers()) {
            if (layer.conf().getLayer() instanceof BaseLayer conf) {
                conf.setIUpdater(updater);
                conf.setBiasUpdater(null);
                conf.setRegularization(weightDecay(config));
                conf.setRegularizationBias(new ArrayList<>());
            } else if (layer.numParams() > 0) {
                log.info("Layer {} ({}) keeps its own updater", layer.conf().getLayer().getLayerName(),
                        layer.conf().getLayer().getClass().getSimpleName());
            }
        }
        net.setWorkspaceModes(WorkspaceMode.ENABLED);
        net.dropUpdater();
        net.setIterationCount(0);
        return new InstalledUpdater(updater, config);
    }

    private static IUpdater create(TrainingConfig config) {
        if (config.updater().equals(TrainingConfig.ADAM)) {
            return new Adam(config.learningRate());
        }
        return config.momentum() > 0 ? new Nesterovs(config.learningRate(), config.momentum())
                : new Sgd(config.learningRate());
    }

    private static List<Regularization> weightDecay(TrainingConfig config) {
        List<Regularization> list = new ArrayList<>();
        if (config.weightDecay() > 0) {
            list.add(new WeightDecay(config.weightDecay(), true));
        }
        return list;
    }

    IUpdater updater() {
        return updater;
    }

    /** Moves the rate of every layer at once, effective from the next step. */
    void setLearningRate(double learningRate) {
        updater.setLrAndSchedule(learningRate, null);
    }

    /** Leaves the configured (peak) rate in the network, which is what a saved model should record. */
    void restoreConfiguredRate() {
        setLearningRate(config.learningRate());
    }
}
