package dev.topiary.nn.metrics;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetException;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.threads.ModelWork;
import dev.topiary.nn.threads.NativeThreads;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.macs.MacCounter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The measurements every model version carries, computed the same way in every stage so that
 * changes between versions mean something: accuracy and mean cross-entropy on the test split,
 * parameter counts, weight-bearing layers ({@link WeightLayers}), MACs per sample (surgery's
 * {@link MacCounter}) and inference latency. The names are the runtime's ({@link MetricNames}).
 * Choices (searches, early stopping) score on the data set's holdout instead ({@link #holdoutScore}),
 * never on the test split whose accuracy a version reports. An image model reads the data set's
 * flat rows reshaped to NCHW ({@link InputShape#rows}).
 *
 * <pre>{@code
 * Map<String, Double> m = ModelMetrics.evaluate(net, DatasetCatalog.resolve("fashion-mnist"), true);
 * double accuracy = m.get(ModelMetrics.ACCURACY);
 * }</pre>
 *
 * Evaluation runs in inference mode (dropout off, batch-norm running statistics) in batches of
 * {@value #EVAL_BATCH}. Latency is wall time per 1,000 test rows fed in batches of
 * {@value #LATENCY_BATCH}, on one core, the fastest of {@value #LATENCY_RUNS} runs after {@value #WARMUP_RUNS}
 * warm-up runs; it depends on the machine and its load, unlike everything else here. The fastest,
 * not the median: other work on a shared machine only ever adds time, and right after training
 * (JIT compilation, collection, the trainer's BLAS workers winding down) the median of seven runs
 * of the same MLP read 11 to 17 ms where it later read 8.4 to 9.2; warm-up therefore also lasts at
 * least a second.
 *
 * <p>Why one core: on the 2-core machine this was written on, ND4J's second BLAS thread made the
 * 784-300-100-10 MLP slower, not faster (best of 15 runs: 9.1 ms per 1,000 rows with two threads,
 * 7.9 ms with one) and spread the runs of one measurement from 9 to 200 ms; with one thread they
 * stayed within 8 to 13 ms. One core is also what a service handling one request stream per core
 * gets.
 */
public final class ModelMetrics {

    public static final String ACCURACY = MetricNames.ACCURACY;
    public static final String LOSS = MetricNames.LOSS;
    public static final String PARAMS = MetricNames.PARAMS;
    public static final String NONZERO_PARAMS = MetricNames.NONZERO_PARAMS;
    public static final String MACS = MetricNames.MACS;
    public static final String LAYERS = MetricNames.LAYERS;
    public static final String LATENCY_MS = MetricNames.LATENCY_MS;

    static final int EVAL_BATCH = 1000;
    static final int LATENCY_SAMPLES = 1000;
    static final int LATENCY_BATCH = 256;
    static final int WARMUP_RUNS = 5;
    static final int LATENCY_RUNS = 15;
    /** Warm-up lasts at least this long too: see the class comment. */
    static final long WARMUP_NANOS = 1_000_000_000L;
    // Keeps log(0) finite when a model is certain and wrong; the same clip Keras uses.
    private static final double PROBABILITY_FLOOR = 1e-7;

    /** Accuracy (fraction correct) and loss (mean cross-entropy, natural log) on a test split. */
    public record Score(double accuracy, double loss) {}

    private ModelMetrics() {}

    /** Accuracy and loss on the test split plus the size metrics, with or without latency. */
    public static Map<String, Double> evaluate(Model model, Dataset dataset, boolean measureLatency) {
        InputShape input = InputCompatibility.check(model, dataset);
        Score score = score(model, dataset);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(ACCURACY, score.accuracy());
        metrics.put(LOSS, score.loss());
        metrics.put(PARAMS, (double) ParamCounts.params(model));
        metrics.put(NONZERO_PARAMS, (double) ParamCounts.nonzeroParams(model));
        metrics.put(MACS, (double) MacCounter.count(model, input.inputType()));
        metrics.put(LAYERS, (double) WeightLayers.count(model));
        if (measureLatency) {
            metrics.put(LATENCY_MS, latencyMs(model, dataset.testFeatures()));
        }
        return metrics;
    }

    /** All metrics, latency included: keys {@code accuracy, loss, params, nonzeroParams, macs, layers, latencyMs}. */
    public static Map<String, Double> evaluate(Model model, Dataset dataset) {
        return evaluate(model, dataset, true);
    }

    /**
     * Accuracy and mean cross-entropy on the test split. A model with more outputs than the data
     * set has classes is allowed; probability on the extra outputs counts as wrong.
     */
    public static Score score(Model model, Dataset dataset) {
        if (dataset.testSize() == 0) {
            throw new DatasetException("Data set " + dataset.name() + " has no test rows to evaluate on");
        }
        return score(model, dataset.testFeatures(), dataset.testLabels());
    }

    /**
     * Accuracy and mean cross-entropy on the data set's holdout (the last tenth of its training rows,
     * never trained on): what every search and selection chooses by.
     */
    public static Score holdoutScore(Model model, Dataset dataset) {
        return score(model, dataset.holdoutFeatures(), dataset.holdoutLabels());
    }

    private static Score score(Model model, INDArray features, INDArray labels) {
        int n = (int) features.size(0);
        long correct = 0;
        double lossSum = 0;
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int end = Math.min(n, start + EVAL_BATCH);
            INDArray x = rows(features, start, end);
            INDArray y = rows(labels, start, end);
            INDArray probabilities = output(model, x);
            INDArray predicted = probabilities.argMax(1);
            INDArray actual = y.argMax(1);
            correct += predicted.eq(actual).castTo(DataType.INT64).sumNumber().longValue();
            INDArray classProbabilities = probabilities.get(NDArrayIndex.all(), NDArrayIndex.interval(0, y.size(1)));
            INDArray logs = Transforms.log(Transforms.max(classProbabilities, PROBABILITY_FLOOR, true), false);
            lossSum -= logs.muli(y.castTo(logs.dataType())).sumNumber().doubleValue();
        }
        return new Score((double) correct / n, lossSum / n);
    }

    /**
     * Milliseconds to run 1,000 rows of {@code features} (repeated if there are fewer) through the
     * model in batches of 256 on one core, the fastest of fifteen runs after at least five warm-up runs
     * and a second (the first runs pay for JIT and workspace set-up).
     */
    public static double latencyMs(Model model, INDArray features) {
        if (features.size(0) == 0) {
            throw new IllegalArgumentException("No rows to time inference on");
        }
        INDArray sample = repeatRows(features, LATENCY_SAMPLES);
        // the lease: no other training or timing in this process runs while this one times
        try (ModelWork alone = ModelWork.begin("latency measurement");
             NativeThreads oneCore = NativeThreads.limit(1, 1)) {
            return timePerThousandRows(model, sample);
        }
    }

    private static double timePerThousandRows(Model model, INDArray sample) {
        Network net = Network.of(model); // once, outside the timed runs
        long warmUntil = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < WARMUP_RUNS || System.nanoTime() < warmUntil; i++) {
            runBatches(net, sample);
        }
        double[] runs = new double[LATENCY_RUNS];
        for (int i = 0; i < LATENCY_RUNS; i++) {
            long start = System.nanoTime();
            runBatches(net, sample);
            runs[i] = (System.nanoTime() - start) / 1e6;
        }
        return Arrays.stream(runs).min().orElseThrow() * 1000.0 / LATENCY_SAMPLES;
    }

    /** The network's output in inference mode, for rows shaped for it or flat rows of a data set. */
    public static INDArray output(Model model, INDArray features) {
        return Network.of(model).output(features);
    }

    /**
     * MACs per sample of a model that records its input size; for an image model that does not,
     * use {@link #evaluate}, which takes the size from the data set.
     */
    public static long macs(Model model) {
        return MacCounter.count(model, Network.of(model).input().inputType());
    }

    private static void runBatches(Network net, INDArray sample) {
        int n = (int) sample.size(0);
        for (int start = 0; start < n; start += LATENCY_BATCH) {
            net.output(rows(sample, start, Math.min(n, start + LATENCY_BATCH)));
        }
    }

    private static INDArray repeatRows(INDArray features, int count) {
        long available = features.size(0);
        if (available >= count) {
            return rows(features, 0, count).dup();
        }
        INDArray out = Nd4j.create(features.dataType(), count, features.size(1));
        for (int start = 0; start < count; start += (int) available) {
            int end = (int) Math.min(count, start + available);
            out.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(rows(features, 0, end - start));
        }
        return out;
    }

    private static INDArray rows(INDArray array, int start, int end) {
        return array.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
    }
}
