package dev.topiary.nn.train;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.threads.NativeThreads;
import dev.topiary.surgery.graph.Network;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Times DL4J's own {@code fit} on a sample of the benchmark's steps (same network, data, batch and
 * thread setting), so the benchmark can show what the dense engine gains without training the
 * slow way for whole epochs.
 */
final class Dl4jReference {
    private Dl4jReference() {}

    static double secondsPerStep(Dataset data, TrainingConfig config, int warmupSteps, int timedSteps) {
        MultiLayerNetwork net = ModelFactory.mlp(config.seed(), TrainBenchmark.LAYERS);
        Network trainable = Network.of(net);
        try (NativeThreads threads = TrainingThreads.forTraining(false)) {
            InstalledUpdater updater = InstalledUpdater.install(trainable, config);
            EpochBatches batches = new EpochBatches(data.trainFeatures(), data.trainLabels(),
                    IntStream.range(0, data.trainSize()).toArray(), config.batchSize(), config.seed(), trainable.dataType());
            batches.shuffle();
            StepEngine engine = new Dl4jStepEngine(trainable, updater, config.weightDecay() > 0);
            int steps = Math.min(warmupSteps + timedSteps, batches.batchCount());
            int warm = Math.min(warmupSteps, steps / 2);
            long t0 = 0;
            for (int s = 0; s < steps; s++) {
                if (s == warm) {
                    t0 = System.nanoTime();
                }
                engine.step(batches.load(s), config.learningRate());
            }
            return (System.nanoTime() - t0) / 1e9 / (steps - warm);
        }
    }
}
