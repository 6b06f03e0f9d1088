package dev.topiary.grower.bench;

import dev.topiary.grower.GrowSpec;
import dev.topiary.grower.Growing;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.TrainedModelFolder;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.surgery.graph.Network;
import java.io.PrintStream;
import java.nio.file.Files;
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
 * {@code topiary bench grow [--json FILE] [--epochs E] [--only exact|compute|growth|spread|blocks] ...}: what
 * growing buys on Fashion-MNIST, in one run.
 * <ul>
 *   <li><b>Exactness</b>: an MLP, a resmlp, the LeNet-like CNN (with batch norm) and a rescnn, each
 *       trained one epoch on 9,000 images, grown wider x2 (copies and fresh units), deeper, and by blocks (after
 *       every block on the two graphs, after two named layers on the MLP and LeNet, which become graphs); the
 *       largest |Δ output| and whether all 10,000 test predictions are the same.
 *   <li><b>Compute saved</b> ({@link ComputeSavedBench}): 784-1024-1024-10 (or, with
 *       {@code --family resmlp}, resmlp 8 x 256) from scratch against the growth path from
 *       784-512-512-10 (resmlp 4 x 256) ({@code --small-epochs K --grown-epochs M --init copy|fresh --noise X
 *       --schedule continue|restart}; {@code --small-epochs} repeated runs a path and its control
 *       per k; {@code --quarter-epochs Q} starts the path at a quarter of the size and adds a quarter-size
 *       control), the half-width control, and the first path given all of scratch's FLOPs. {@code --only growth} runs the growth path alone (stopping at
 *       {@code --target-holdout}, if given): for choosing its settings on the holdout.
 *   <li><b>Block expansion</b> ({@link BlockExpansionBench}): a resmlp of 4 blocks x 256 trained E
 *       epochs (the parent, kept in {@code --parents DIR} if given) gets a zero-started block after
 *       each of its blocks (8 blocks) and trains 2 epochs with {@code trainOnly: new}, the others
 *       frozen or at {@code --blocks-others-rate} of the rate; control: the parent trained 2 more
 *       epochs; both at the peak rate {@code --blocks-learning-rate} (default the trainer's 1e-3).
 * </ul>
 * Every run trains with the shared trainer (Adam 1e-3, cosine decay, batch 128, weight decay 0.01)
 * on the training rows outside the holdout: 54,000 of Fashion-MNIST's 60,000, or nine tenths of the
 * first {@code --train ROWS}; {@code --augment} changes the images of every compared fit alike.
 */
public final class GrowBenchmark {
    private final Dataset data;
    private final PrintStream log;

    public GrowBenchmark(Dataset data, PrintStream log) {
        this.data = data;
        this.log = log;
    }

    /** Runs the benchmark, prints the table and writes the JSON; refuses bad options before any work. */
    public static void run(GrowBenchOptions options, PrintStream out) throws Exception {
        options.validate();
        String only = options.only;
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST);
        GrowBenchmark bench = new GrowBenchmark(options.trainRows > 0 ? data.limit(options.trainRows, 0) : data, out);
        ComputeSavedBench compute = new ComputeSavedBench(options.growthFamily(), bench.data, options.epochs, options.repetition,
                options.augmentation(), out);
        List<ComputeSavedBench.GrowthPlan> plans = new ArrayList<>();
        for (Integer k : options.smallEpochs.isEmpty() ? java.util.Collections.<Integer>singletonList(null) : options.smallEpochs) {
            plans.add(compute.defaultPlan(options.quarterEpochs, k, options.grownEpochs, options.widening(), options.noise, options.continueSchedule(), options.targetChecks));
        }
        List<GrowBenchRow> rows = new ArrayList<>();
        if (only == null || only.equals("exact")) {
            rows.addAll(bench.exactness());
        }
        if (only == null || only.equals("compute")) {
            rows.addAll(compute.run(plans));
        }
        if ("spread".equals(only)) {
            rows.addAll(compute.scratchSpread(options.seeds));
        }
        if ("growth".equals(only)) {
            for (ComputeSavedBench.GrowthPlan plan : plans) {
                rows.addAll(compute.pathOnly(plan, options.targetHoldout));
            }
        }
        if (only == null || only.equals("blocks")) {
            rows.addAll(new BlockExpansionBench(bench.data, options.epochs, options.repetition, out,
                    new TrainedModelFolder(bench.data, options.parents, out))
                    .run(options.blocksLearningRate, options.blocksOthersRate, options.augmentation()));
        }
        out.println();
        out.print(table(rows));
        if (options.json != null) {
            Files.writeString(options.json, rows.stream().map(GrowBenchRow::toJson).collect(Collectors.joining(",\n", "[\n", "\n]\n")));
            out.println("wrote " + options.json);
        }
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
        Map<String, List<String>> blocksAfter = Map.of("mlp 784-256-128-10", List.of("dense1", "dense2"),
                "lenet-bn", List.of("relu1", "dense1"));
        List<GrowBenchRow> rows = new ArrayList<>();
        for (Map.Entry<String, Model> p : parents.entrySet()) {
            log.println("exactness: training " + p.getKey() + " for 1 epoch on 9,000 images");
            new Trainer(TrainingConfig.defaults().withEpochs(1)).fit(p.getValue(), parentData, TrainingListener.NONE, StepHook.NONE);
            INDArray before = ModelMetrics.output(p.getValue(), data.testFeatures());
            double parentAccuracy = ModelMetrics.score(p.getValue(), data).accuracy();
            List<Map<String, Object>> grows = new ArrayList<>(List.of(Map.of("method", "wider", "factor", 2),
                    Map.of("method", "wider", "factor", 2, "init", "fresh"),
                    Map.of("method", "deeper", "after", deeperAfter.get(p.getKey()))));
            // a chain has no blocks to count: its blocks go after named layers (it becomes a graph)
            grows.add(Network.of(p.getValue()).isGraph() ? Map.of("method", "blocks", "every", 1)
                    : Map.of("method", "blocks", "after", blocksAfter.get(p.getKey())));
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
                    case "wider" -> params.containsKey("init") ? "wider x2 fresh" : "wider x2";
                    case "deeper" -> "deeper after " + params.get("after");
                    default -> params.containsKey("every") ? "blocks every 1" : "blocks after " + params.get("after");
                };
                rows.add(new GrowBenchRow("exact " + params.get("method"), method, p.getKey(), v));
                log.println("  " + method + ": max |Δ output| " + v.get("maxAbsDiff"));
            }
        }
        return rows;
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
            } else if (r.values().containsKey("scratchFlops") && !r.name().equals("scratch")) {
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
