package dev.topiary.nn.train;

import dev.topiary.surgery.graph.Network;
/**
 * DL4J's own {@code fit(features, labels)} per minibatch: works for every network DL4J can train
 * (convolutions, batch normalisation, dropout, graphs). No iterator and no prefetch thread: the
 * batch is a view of the rows {@link EpochBatches} gathered.
 */
final class Dl4jStepEngine implements StepEngine {
    private final Network net;
    private final InstalledUpdater updater;
    private final boolean weightDecay;

    Dl4jStepEngine(Network net, InstalledUpdater updater, boolean weightDecay) {
        this.net = net;
        this.updater = updater;
        this.weightDecay = weightDecay;
    }

    @Override
    public double step(EpochBatches.Batch batch, double learningRate) {
        updater.setLearningRate(learningRate);
        double penalty = weightDecay ? net.regularizationPenalty() : 0; // DL4J's score adds it, computed on these pre-step weights
        net.fit(batch.features(), batch.labels());
        return net.score() - penalty;
    }

    @Override
    public String name() {
        return "dl4j-fit";
    }
}
