package dev.topiary.nn.train;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.Network;
import java.io.PrintStream;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code topiary bench train}: how fast and how well {@link Trainer} trains the 784-300-100-10
 * MLP on the full Fashion-MNIST (batch 128, the default configuration), against ND4J's own large
 * GEMM rate measured in the same run, and against the same steps through DL4J's own {@code fit}.
 *
 * <p>Target: efficiency (training FLOP/s over GEMM FLOP/s) of at least 0.30 and at least 88.5%
 * test accuracy after 10 epochs. The machine may be shared, so the GEMM is measured before and
 * after training and its median taken; compare ratios from one run, not numbers across runs.
 *
 * <pre>
 *   TrainBenchmarkResult r = TrainBenchmark.run(10, System.out);
 *   Files.writeString(Path.of("train.json"), r.toJson());
 * </pre>
 */
public final class TrainBenchmark {
    public static final int[] LAYERS = {784, 300, 100, 10};
    public static final long SEED = 42L;
    public static final String MODEL = "mlp-784-300-100-10";
    static final int REFERENCE_WARMUP_STEPS = 20;
    static final int REFERENCE_STEPS = 100;

    private TrainBenchmark() {}

    /** Trains for {@code epochs} epochs, printing progress and the final table to {@code out}. */
    public static TrainBenchmarkResult run(int epochs, PrintStream out) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(epochs).withSeed(SEED);
        out.printf(Locale.ROOT, "Fashion-MNIST from %s: %d train, %d test rows%n", data.source(), data.trainSize(),
                data.testSize());

        GemmBaseline gemm = new GemmBaseline().measure(2, 7);
        out.printf(Locale.ROOT, "GEMM 2048^3 before training: %.1f GFLOP/s%n", gemm.medianFlops() / 1e9);

        MultiLayerNetwork net = ModelFactory.mlp(SEED, LAYERS);
        Network trainable = Network.of(net);
        boolean dense = PlainMlp.whyNot(trainable).isEmpty();
        String engine = dense ? "dense" : "dl4j-fit";
        int blasThreads = TrainingThreads.blasThreads(Nd4j.factory().blas().getMaxThreads(), dense);
        TrainingResult result = new Trainer(config).fit(net, data, new EpochPrinter(out), null);
        double accuracy = HeldOutScore.accuracy(trainable, data.testFeatures(), data.testLabels());

        gemm.measure(1, 7);
        double referenceStep = Dl4jReference.secondsPerStep(data, config, REFERENCE_WARMUP_STEPS, REFERENCE_STEPS);

        long weights = weightCount(LAYERS);
        int samples = data.trainSize();
        int batches = (samples + config.batchSize() - 1) / config.batchSize();
        double secondsPerEpoch = result.seconds() / result.epochsRun();
        double flopsPerEpoch = 6.0 * weights * samples;
        double trainFlops = flopsPerEpoch / secondsPerEpoch;
        TrainBenchmarkResult r = new TrainBenchmarkResult("train", MODEL, result.epochsRun(), config.batchSize(),
                data.name(), samples, weights, secondsPerEpoch, samples / secondsPerEpoch, accuracy,
                gemm.medianFlops(), trainFlops, trainFlops / gemm.medianFlops(), engine, blasThreads,
                flopsPerEpoch / gemm.medianFlops(), referenceStep * batches);
        r.printTable(out);
        return r;
    }

    /** Weights without biases: 266,200 for 784-300-100-10, the count the FLOP convention uses. */
    static long weightCount(int[] layers) {
        long weights = 0;
        for (int i = 1; i < layers.length; i++) {
            weights += (long) layers[i - 1] * layers[i];
        }
        return weights;
    }

    /** Prints one line per epoch: the run takes a while, and the lines show warm-up and noise. */
    private static final class EpochPrinter implements TrainingListener {
        private final PrintStream out;
        private long last = System.nanoTime();

        EpochPrinter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onEpoch(int epoch, int epochs, double trainLoss, Double validationLoss, Double validationAccuracy) {
            long now = System.nanoTime();
            out.printf(Locale.ROOT, "epoch %d/%d: %.3f s, train loss %.4f%n", epoch, epochs, (now - last) / 1e9, trainLoss);
            last = now;
        }
    }
}
