package dev.topiary.nn.train;

/**
 * DL4J's own {@code fit(features, labels)} per minibatch: works for every network DL4J can train
 * (convolutions, batch normalisation, dropout, graphs). No iterator and no prefetch thread: the
 * batch is a view of the epoch's gathered rows.
 */
final class Dl4jStepEngine implements StepEngine {
    private final TrainableNetwork net;
    private final InstalledUpdater updater;
    private final EpochBatches batches;
    private final boolean weightDecay;

    Dl4jStepEngine(TrainableNetwork net, InstalledUpdater updater, EpochBatches batches, boolean weightDecay) {
        this.net = net;
        this.updater = updater;
        this.batches = batches;
        this.weightDecay = weightDecay;
    }

    @Override
    public double step(int batch, double learningRate) {
        updater.setLearningRate(learningRate);
        double penalty = weightDecay ? net.penalty() : 0; // DL4J's score adds it, computed on these pre-step weights
        net.fit(batches.features(batch), batches.labels(batch));
        return net.lastScore() - penalty;
    }

    @Override
    public String name() {
        return "dl4j-fit";
    }
}
