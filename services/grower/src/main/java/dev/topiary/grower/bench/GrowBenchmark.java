package dev.topiary.grower.bench;

import dev.topiary.grower.GrowSpec;
import dev.topiary.grower.Growing;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainOnly;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.macs.MacCounter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code topiary bench grow [--json FILE] [--epochs E] [--only exact|compute|blocks]}: what growing buys on
 * Fashion-MNIST, in one run.
 * <ul>
 *   <li><b>Exactness</b>: an MLP, a resmlp, the LeNet-like CNN (with batch norm) and a rescnn, each
 *       trained one epoch on 9,000 images, grown wider x2 and deeper, the two graphs also by a block
 *       after every block; the largest |Δ output| and whether all 10,000 test predictions are the same.
 *   <li><b>Compute saved</b>: the target 784-1024-1024-10 trained from scratch for E epochs (accuracy
 *       A, training FLOPs F = 6 x MACs x samples); the growth path trains the half-width
 *       784-512-512-10 for k = 0.3 E epochs (fixed beforehand), widens it x2 with noise 0.01 as the
 *       symmetry breaker (Net2WiderNet's: Gaussian noise on the copies' incoming weights, 1% of each
 *       layer's weight standard deviation) and trains it m = 0.3 E epochs; the control trains the
 *       half-width network on from epoch k for the same FLOPs without growing.
 *   <li><b>Block expansion</b>: a resmlp of 4 blocks x 256 trained E epochs (the parent) gets a
 *       zero-started block after each of its blocks (8 blocks) and trains 2 epochs with only the new
 *       blocks learning ({@code trainOnly: new}); control: the parent trained 2 more epochs.
 * </ul>
 * Every run trains with the shared trainer at its defaults (Adam 1e-3, cosine decay over each run,
 * batch 128, weight decay 0.01) on the 54,000 training rows outside the holdout.
 */
public final class GrowBenchmark {
    private final Dataset data;
    private final int epochs;
    private final PrintStream log;

    public GrowBenchmark(Dataset data, int epochs, PrintStream log) {
        this.data = data;
        this.epochs = epochs;
        this.log = log;
    }

    /** Parses the command line, runs the benchmark, prints the table and writes the JSON; returns an exit code. */
    public static int run(String[] args, PrintStream out) throws Exception {
        Path json = null;
        int epochs = 10;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                default -> {
                    out.println("usage: bench grow [--json FILE] [--epochs E] [--only exact|compute|blocks]");
                    return 2;
                }
            }
        }
        GrowBenchmark bench = new GrowBenchmark(DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST), epochs, out);
        List<GrowBenchRow> rows = new ArrayList<>();
        if (only == null || only.equals("exact")) {
            rows.addAll(bench.exactness());
        }
        if (only == null || only.equals("compute")) {
            rows.addAll(bench.computeSaved());
        }
        if (only == null || only.equals("blocks")) {
            rows.addAll(bench.blockExpansion());
        }
        out.println();
        out.print(table(rows));
        if (json != null) {
            Files.writeString(json, rows.stream().map(GrowBenchRow::toJson).collect(Collectors.joining(",\n", "[\n", "\n]\n")));
            out.println("wrote " + json);
        }
        return 0;
    }

    List<GrowBenchRow> exactness() {
        Dataset parentData = data.limit(10_000, data.testSize());
        Map<String, Model> parents = new LinkedHashMap<>();
        parents.put("mlp 784-256-128-10", ModelFactory.mlp(1, new int[] {784, 256, 128, 10}));
        parents.put("resmlp 64x2", ModelFactory.resmlp(784, 64, 2, 10, 1));
        parents.put("lenet-bn", ModelFactory.cnn(1, true));
        parents.put("rescnn 8x2", ModelFactory.rescnn(8, 2, 10, 1));
        Map<String, String> deeperAfter = Map.of("mlp 784-256-128-10", "dense1", "resmlp 64x2", "block1_relu",
                "lenet-bn", "pool1", "rescnn 8x2", "block1_relu");
        List<GrowBenchRow> rows = new ArrayList<>();
        for (Map.Entry<String, Model> p : parents.entrySet()) {
            log.println("exactness: training " + p.getKey() + " for 1 epoch on 9,000 images");
            new Trainer(TrainingConfig.defaults().withEpochs(1)).fit(p.getValue(), parentData, TrainingListener.NONE, StepHook.NONE);
            INDArray before = ModelMetrics.output(p.getValue(), data.testFeatures());
            double parentAccuracy = ModelMetrics.score(p.getValue(), data).accuracy();
            List<Map<String, Object>> grows = new ArrayList<>(List.of(Map.of("method", "wider", "factor", 2),
                    Map.of("method", "deeper", "after", deeperAfter.get(p.getKey()))));
            if (Network.of(p.getValue()).isGraph()) { // an add cannot live in a MultiLayerNetwork
                grows.add(Map.of("method", "blocks", "every", 1));
            }
            for (Map<String, Object> params : grows) {
                Network grown = Growing.grow(Network.of(p.getValue()), InputCompatibility.check(p.getValue(), data),
                        GrowSpec.fromMap(params), new HashMap<>());
                INDArray after = ModelMetrics.output(grown.model(), data.testFeatures());
                Map<String, Double> v = new LinkedHashMap<>();
                v.put("maxAbsDiff", Growing.maxAbsDiff(before, after));
                v.put("samePredictions", before.argMax(1).equals(after.argMax(1)) ? 1.0 : 0.0);
                v.put("parentAccuracy", parentAccuracy);
                v.put("accuracy", ModelMetrics.score(grown.model(), data).accuracy());
                String method = switch ((String) params.get("method")) {
                    case "wider" -> "wider x2";
                    case "deeper" -> "deeper after " + params.get("after");
                    default -> "blocks every 1";
                };
                rows.add(new GrowBenchRow("exact " + params.get("method"), method, p.getKey(), v));
                log.println("  " + method + ": max |Δ output| " + v.get("maxAbsDiff"));
            }
        }
        return rows;
    }

    List<GrowBenchRow> computeSaved() {
        int k = Math.max(1, (int) Math.round(0.3 * epochs));
        int m = Math.max(1, (int) Math.round(0.3 * epochs));
        Model target = ModelFactory.mlp(2, new int[] {784, 1024, 1024, 10});
        long bigMacs = MacCounter.count(target, InputCompatibility.check(target, data).inputType());
        log.println("scratch: 784-1024-1024-10 for " + epochs + " epochs");
        Run scratch = train(target, epochs, bigMacs);
        double a = ModelMetrics.score(target, data).accuracy();

        Model small = ModelFactory.mlp(2, new int[] {784, 512, 512, 10});
        long smallMacs = MacCounter.count(small, InputCompatibility.check(small, data).inputType());
        log.println("growth path: 784-512-512-10 for " + k + " epochs, widen x2 (noise 0.01), then " + m + " epochs");
        Run smallRun = train(small, k, smallMacs);
        double parentAccuracy = ModelMetrics.score(small, data).accuracy();
        Model control = Network.of(small).copy().model();
        long t0 = System.nanoTime();
        Network grown = Growing.grow(Network.of(small), InputCompatibility.check(small, data),
                GrowSpec.fromMap(Map.of("method", "wider", "factor", 2, "noise", 0.01, "seed", 3)), new HashMap<>());
        double growSeconds = (System.nanoTime() - t0) / 1e9;
        Run grownRun = train(grown.model(), m, bigMacs);
        double flops = smallRun.flops + grownRun.flops;
        double seconds = smallRun.seconds + growSeconds + grownRun.seconds;

        int controlEpochs = Math.max(1, (int) Math.round(grownRun.flops / (6.0 * smallMacs * data.fitSize())));
        log.println("control: 784-512-512-10 on from epoch " + k + " for " + controlEpochs + " more epochs (the same FLOPs)");
        Run controlRun = train(control, controlEpochs, smallMacs);

        List<GrowBenchRow> rows = new ArrayList<>();
        rows.add(new GrowBenchRow("scratch", "none", "mlp 784-1024-1024-10", values(a, a, scratch.flops, scratch.flops,
                scratch.seconds, scratch.seconds, null, ModelMetrics.holdoutScore(target, data).accuracy())));
        rows.add(new GrowBenchRow("grown", "wider x2, noise 0.01", "mlp 784-512-512-10 -> 784-1024-1024-10",
                values(ModelMetrics.score(grown.model(), data).accuracy(), a, flops, scratch.flops, seconds, scratch.seconds,
                        parentAccuracy, ModelMetrics.holdoutScore(grown.model(), data).accuracy())));
        rows.add(new GrowBenchRow("control", "none (small trained on)", "mlp 784-512-512-10",
                values(ModelMetrics.score(control, data).accuracy(), a, smallRun.flops + controlRun.flops, scratch.flops,
                        smallRun.seconds + controlRun.seconds, scratch.seconds, parentAccuracy,
                        ModelMetrics.holdoutScore(control, data).accuracy())));
        return rows;
    }

    List<GrowBenchRow> blockExpansion() {
        Model parent = ModelFactory.resmlp(784, 256, 4, 10, 4);
        log.println("block expansion: resmlp 4 x 256 for " + epochs + " epochs");
        long parentMacs = MacCounter.count(parent, InputCompatibility.check(parent, data).inputType());
        train(parent, epochs, parentMacs);
        double parentAccuracy = ModelMetrics.score(parent, data).accuracy();
        Model control = Network.of(parent).copy().model();
        GrowSpec spec = GrowSpec.fromMap(Map.of("method", "blocks", "every", 1, "trainOnly", "new"));
        Network grown = Growing.grow(Network.of(parent), InputCompatibility.check(parent, data), spec, new HashMap<>());
        INDArray before = ModelMetrics.output(parent, data.testFeatures());
        double stepZero = Growing.maxAbsDiff(before, ModelMetrics.output(grown.model(), data.testFeatures()));
        List<String> added = grown.model() instanceof org.deeplearning4j.nn.graph.ComputationGraph g
                ? java.util.Arrays.stream(g.getVertices()).map(v -> v.getVertexName()).filter(n -> n.startsWith("grown")).toList()
                : List.of();
        log.println("block expansion: 8 blocks, 2 epochs training " + added.size() + " new nodes only; control: parent 2 more epochs");
        long grownMacs = MacCounter.count(grown.model(), InputCompatibility.check(grown.model(), data).inputType());
        long t0 = System.nanoTime();
        new Trainer(TrainingConfig.defaults().withEpochs(2)).fit(grown.model(), data, TrainingListener.NONE,
                TrainOnly.freezeOthers(grown.model(), Map.of(TrainOnly.LABEL, TrainOnly.value(added))));
        double grownSeconds = (System.nanoTime() - t0) / 1e9;
        Run controlRun = train(control, 2, parentMacs);
        double controlAccuracy = ModelMetrics.score(control, data).accuracy();

        Map<String, Double> g = new LinkedHashMap<>();
        g.put("accuracy", ModelMetrics.score(grown.model(), data).accuracy());
        g.put("parentAccuracy", parentAccuracy);
        g.put("maxAbsDiff", stepZero);
        g.put("flops", 6.0 * grownMacs * data.fitSize() * 2);
        g.put("seconds", grownSeconds);
        Map<String, Double> c = new LinkedHashMap<>();
        c.put("accuracy", controlAccuracy);
        c.put("parentAccuracy", parentAccuracy);
        c.put("flops", controlRun.flops);
        c.put("seconds", controlRun.seconds);
        return List.of(new GrowBenchRow("block expansion", "blocks every 1, trainOnly new, 2 epochs", "resmlp 4x256 -> 8x256", g),
                new GrowBenchRow("block control", "none (parent 2 more epochs)", "resmlp 4x256", c));
    }

    private static Map<String, Double> values(double accuracy, double scratchAccuracy, double flops, double scratchFlops,
            double seconds, double scratchSeconds, Double parentAccuracy, double holdoutAccuracy) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("accuracy", accuracy);
        v.put("scratchAccuracy", scratchAccuracy);
        v.put("flops", flops);
        v.put("scratchFlops", scratchFlops);
        v.put("seconds", seconds);
        v.put("scratchSeconds", scratchSeconds);
        if (parentAccuracy != null) {
            v.put("parentAccuracy", parentAccuracy);
        }
        v.put("holdoutAccuracy", holdoutAccuracy);
        return v;
    }

    private record Run(double flops, double seconds) {
    }

    /** Trains with the shared trainer's defaults for {@code epochs}; FLOPs are 6 x MACs x samples (forward and backward). */
    private Run train(Model model, int epochs, long macs) {
        long t0 = System.nanoTime();
        new Trainer(TrainingConfig.defaults().withEpochs(epochs)).fit(model, data, TrainingListener.NONE, StepHook.NONE);
        return new Run(6.0 * macs * data.fitSize() * epochs, (System.nanoTime() - t0) / 1e9);
    }

    static String table(List<GrowBenchRow> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-14s %-28s %-40s %s%n", "name", "method", "model", "values"));
        for (GrowBenchRow r : rows) {
            String values = r.values().entrySet().stream().map(e -> e.getKey() + "=" + format(e.getKey(), e.getValue()))
                    .collect(Collectors.joining(" "));
            s.append(String.format(Locale.ROOT, "%-14s %-28s %-40s %s%n", r.name(), r.method(), r.model(), values));
        }
        for (GrowBenchRow r : rows) {
            if (r.name().startsWith("block")) {
                s.append(String.format(Locale.ROOT, "%s: accuracy %+.2f pt vs its parent%n", r.name(),
                        100 * (r.values().get("accuracy") - r.values().get("parentAccuracy"))));
            } else if (r.name().equals("grown") || r.name().equals("control")) {
                Map<String, Double> v = r.values();
                s.append(String.format(Locale.ROOT, "%s: accuracy %+.2f pt vs scratch, %.0f%% of its FLOPs, %.0f%% of its seconds%n",
                        r.name(), 100 * (v.get("accuracy") - v.get("scratchAccuracy")), 100 * v.get("flops") / v.get("scratchFlops"),
                        100 * v.get("seconds") / v.get("scratchSeconds")));
            }
        }
        return s.toString();
    }

    private static String format(String key, double v) {
        if (key.contains("lops")) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (key.equals("maxAbsDiff")) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return key.contains("econds") ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
