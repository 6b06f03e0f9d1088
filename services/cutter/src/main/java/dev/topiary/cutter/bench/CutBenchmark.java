package dev.topiary.cutter.bench;

import dev.topiary.cutter.CutResult;
import dev.topiary.cutter.CutSpec;
import dev.topiary.cutter.Cutting;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.TrainedModelFolder;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.surgery.graph.Network;
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
 * {@code topiary bench cut [--json FILE] [--quick] [--train N] [--epochs N] [--only resmlp|bridge|mlp|cnn]
 * [--filters N] [--baselines DIR]}: what cutting buys on Fashion-MNIST, in one run on this machine.
 * A residual MLP ({@code resmlp}, width 256, 8 blocks) is trained as the baseline; each of its
 * blocks is removed alone without healing and the holdout accuracy drop measured (leave-one-out),
 * against which each criterion's order is rank-correlated (Spearman's rho); then 2, 4 and 6 blocks
 * are cut by each criterion and healed; controls train the 4-block and the 0-block (stem + output)
 * network from scratch for the same total epochs; a linear bridge replaces 4 consecutive blocks. A
 * plain MLP 784-256-256-256-256-10 loses two of its equal-width layers, and a residual CNN
 * ({@code rescnn}, 16 filters, 6 blocks) half its blocks, with and without a head refit, beside the
 * uncut network healed the same way. Latencies are measured back to back with the baseline's.
 * Baselines can be kept between runs ({@link TrainedModelFolder}).
 * {@code --quick} runs the same on a small subset with fewer epochs, as a smoke test.
 */
public final class CutBenchmark {
    private static final int LATENCY_ROUNDS = 3;
    private static final List<String> CRITERIA = List.of("angular", "cosine", "loss", "last");
    private final Dataset data;
    private final int epochs;
    private final int cnnEpochs;
    private final int heal;
    private final boolean quick;
    private final int cnnFilters;
    private final PrintStream log;
    private final TrainedModelFolder baselines;
    private final Map<String, Double> spearman = new LinkedHashMap<>();

    /**
     * @param cnnFilters rescnn's width (16 in the row; fewer to fit a loaded machine's time box)
     * @param baselineDir where trained baselines are saved and found again ({@link TrainedModelFolder}); null for none
     */
    public CutBenchmark(Dataset data, int epochs, int cnnEpochs, int heal, boolean quick, int cnnFilters, Path baselineDir,
            PrintStream log) {
        this.data = data;
        this.epochs = epochs;
        this.cnnEpochs = cnnEpochs;
        this.heal = heal;
        this.quick = quick;
        this.cnnFilters = cnnFilters;
        this.log = log;
        this.baselines = new TrainedModelFolder(data, baselineDir, log);
    }

    /** Runs the benchmark, prints the table and writes the JSON; refuses bad options before any work. */
    public static void run(CutBenchOptions options, PrintStream out) throws Exception {
        options.validate();
        boolean quick = options.quick;
        int rows = options.trainRows();
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST + (rows > 0 ? "?train=" + rows + "&test="
                + (quick ? 1000 : 10000) : ""));
        int e = options.epochs();
        CutBenchmark bench = new CutBenchmark(data, e, quick ? 1 : Math.min(6, e), quick ? 1 : 2, quick, options.filters(),
                options.baselines, out);
        out.printf(Locale.ROOT, "data: %s, %d training rows (%d holdout), %d test rows; baseline %d epochs, healing %d%n",
                data.name(), data.trainSize(), data.holdoutSize(), data.testSize(), e, bench.heal);
        List<CutBenchRow> result = bench.run(options.only);
        out.println();
        out.print(table(result));
        out.println("spearman (criterion order vs leave-one-out holdout drop): " + bench.spearman);
        if (options.json != null) {
            Files.writeString(options.json, bench.toJson(result));
            out.println("wrote " + options.json);
        }
    }

    public List<CutBenchRow> run(String only) {
        List<CutBenchRow> rows = new ArrayList<>();
        if (only == null || only.equals("resmlp")) {
            rows.addAll(resmlp());
        }
        if ("bridge".equals(only)) {
            rows.addAll(bridgeOnly());
        }
        if (only == null || only.equals("mlp")) {
            rows.addAll(mlp());
        }
        if (only == null || only.equals("cnn")) {
            rows.addAll(cnn());
        }
        return rows;
    }

    private List<CutBenchRow> resmlp() {
        int width = quick ? 64 : 256;
        List<CutBenchRow> rows = new ArrayList<>();
        Model base = baselines.get("resmlp-w" + width + "-b8",
                () -> ModelFactory.resmlp(784, width, 8, 10, ModelFactory.DEFAULT_SEED), epochs);
        double baseAcc = ModelMetrics.score(base, data).accuracy();
        rows.add(row("resmlp-baseline", "resmlp", "none", List.of(), base, base, baseAcc, Double.NaN, 0));

        // leave-one-out: each block alone, no healing, judged on the holdout (never the test split)
        double holdoutBase = ModelMetrics.holdoutScore(base, data).accuracy();
        List<String> blocks = Cutting.units(base, data);
        double[] drops = new double[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            drops[i] = holdoutBase - ModelMetrics.holdoutScore(Cutting.without(base, data, List.of(blocks.get(i))), data).accuracy();
        }
        log.println("leave-one-out holdout drops: " + named(blocks, drops));
        for (String c : CRITERIA) {
            double[] scores = new double[blocks.size()];
            if (c.equals("last")) {
                for (int i = 0; i < blocks.size(); i++) {
                    scores[i] = blocks.size() - i; // the depth from the output: the last block is cut first
                }
            } else {
                Map<String, Double> s = Cutting.apply(base, CutSpec.fromMap(Map.of("criterion", c, "blocks", 1,
                        "finetuneEpochs", 0)), data, TrainingListener.NONE).scores();
                for (int i = 0; i < blocks.size(); i++) {
                    scores[i] = s.get(blocks.get(i));
                }
            }
            spearman.put(c, Spearman.rho(scores, drops));
            log.println(c + " scores: " + named(blocks, scores) + String.format(Locale.ROOT, "  rho=%.3f", spearman.get(c)));
        }

        for (int k : new int[] {2, 4, 6}) {
            for (String c : CRITERIA) {
                rows.add(cut("resmlp-cut" + k + "-" + c, "resmlp", base, baseAcc,
                        Map.of("criterion", c, "blocks", k, "finetuneEpochs", heal)));
            }
        }
        rows.addAll(bridges(base, baseAcc));
        for (int b : new int[] {4, 0}) {
            Model scratch = baselines.get("resmlp-w" + width + "-b" + b,
                    () -> ModelFactory.resmlp(784, width, b, 10, ModelFactory.DEFAULT_SEED), epochs + heal);
            rows.add(row("resmlp-scratch" + b, "resmlp", "none", List.of(), scratch, base, baseAcc, Double.NaN, epochs + heal));
        }
        return rows;
    }

    /** Only the resmlp baseline and its bridge rows: {@code --only bridge}. */
    private List<CutBenchRow> bridgeOnly() {
        int width = quick ? 64 : 256;
        Model base = baselines.get("resmlp-w" + width + "-b8",
                () -> ModelFactory.resmlp(784, width, 8, 10, ModelFactory.DEFAULT_SEED), epochs);
        double baseAcc = ModelMetrics.score(base, data).accuracy();
        List<CutBenchRow> rows = new ArrayList<>();
        rows.add(row("resmlp-baseline", "resmlp", "none", List.of(), base, base, baseAcc, Double.NaN, 0));
        rows.addAll(bridges(base, baseAcc));
        return rows;
    }

    /**
     * 4 consecutive blocks replaced by one linear bridge, the run chosen by the default criterion
     * ({@code loss}: each run bridged and its holdout loss measured). A fitted bridge starts close to
     * its parent, and healing at the trained weights' 1e-3 with a fresh Adam moved it further away
     * (1.4 pt in round 2), so it heals gently, towards the parent's outputs. The second row fits on
     * 512 rows, the fit size of round 2, to show what the fit rows are worth.
     */
    private List<CutBenchRow> bridges(Model base, double baseAcc) {
        Map<String, Object> bridge = Map.of("span", 4, "bridge", "linear", "finetuneEpochs", 1,
                "finetuneLearningRate", 3e-4, "distill", 0.5);
        Map<String, Object> fit512 = new HashMap<>(bridge);
        fit512.put("bridgeSamples", 512);
        return List.of(cut("resmlp-bridge4", "resmlp", base, baseAcc, bridge),
                cut("resmlp-bridge4-fit512", "resmlp", base, baseAcc, fit512));
    }

    private List<CutBenchRow> mlp() {
        int w = quick ? 64 : 256;
        Model base = baselines.get("mlp-w" + w + "x4",
                () -> ModelFactory.mlp(ModelFactory.DEFAULT_SEED, new int[] {784, w, w, w, w, 10}), epochs);
        double baseAcc = ModelMetrics.score(base, data).accuracy();
        List<CutBenchRow> rows = new ArrayList<>();
        rows.add(row("mlp-baseline", "mlp", "none", List.of(), base, base, baseAcc, Double.NaN, 0));
        rows.add(cut("mlp-cut2", "mlp", base, baseAcc, Map.of("blocks", 2, "finetuneEpochs", heal)));
        return rows;
    }

    /**
     * rescnn without half its blocks, healed the way the last round did (2 epochs at 1e-3:
     * {@code -plain}) and with the head refitted to the cut network's features first; and the
     * control: the uncut baseline given that same healing, which says how much of the healed
     * accuracy the extra epochs and the refit would add anyway.
     */
    private List<CutBenchRow> cnn() {
        Model base = baselines.get("rescnn-f" + cnnFilters + "-b6",
                () -> ModelFactory.rescnn(cnnFilters, 6, 10, ModelFactory.DEFAULT_SEED), cnnEpochs);
        double baseAcc = ModelMetrics.score(base, data).accuracy();
        List<CutBenchRow> rows = new ArrayList<>();
        log.println("rescnn: " + cnnFilters + " filters, 6 blocks");
        rows.add(row("rescnn-baseline", "rescnn", "none", List.of(), base, base, baseAcc, Double.NaN, 0));
        rows.add(cut("rescnn-cut3-plain", "rescnn", base, baseAcc, Map.of("blocks", 3, "finetuneEpochs", heal)));
        Map<String, Object> refit = Map.of("blocks", 3, "finetuneEpochs", heal, "refitHead", true);
        rows.add(cut("rescnn-cut3", "rescnn", base, baseAcc, refit));
        rows.add(healedUncut("rescnn-uncut-healed", "rescnn", base, baseAcc, refit));
        return rows;
    }

    /** The baseline, not cut, healed as {@code params} would heal a cut of it: a control for the cut rows. */
    private CutBenchRow healedUncut(String name, String model, Model base, double baseAcc, Map<String, Object> params) {
        CutSpec spec = CutSpec.fromMap(params);
        Model healed = Network.of(base).copy().model();
        Cutting.heal(healed, spec.finetuneEpochs(), spec, Cutting.healing(base, spec, data, TrainingListener.NONE));
        return row(name, model, "none", List.of(), healed, base, baseAcc, Double.NaN, spec.finetuneEpochs());
    }

    private CutBenchRow cut(String name, String model, Model base, double baseAcc, Map<String, Object> params) {
        CutSpec spec = CutSpec.fromMap(params);
        long start = System.nanoTime();
        CutResult r = Cutting.apply(base, spec, data, TrainingListener.NONE);
        Map<String, Object> unhealed = new HashMap<>(params);
        unhealed.put("finetuneEpochs", 0);
        unhealed.remove("distill"); // healing's own setting: refused without healing
        Model cut = spec.bridge() ? Cutting.apply(base, CutSpec.fromMap(unhealed), data, TrainingListener.NONE).model()
                : Cutting.without(base, data, r.removed());
        double beforeHeal = ModelMetrics.score(cut, data).accuracy();
        log.printf(Locale.ROOT, "%s: cut %s in %.0f s, stats %s%n", name, r.removed(), (System.nanoTime() - start) / 1e9,
                r.stats());
        return row(name, model, spec.criterion().label(), r.removed(), r.model(), base, baseAcc, beforeHeal,
                spec.finetuneEpochs());
    }

    private CutBenchRow row(String name, String model, String criterion, List<String> cut, Model m, Model base,
            double baseAcc, double beforeHeal, int finetuneEpochs) {
        Map<String, Double> metrics = ModelMetrics.evaluate(m, data, false);
        double[] latency = latencyAgainst(base, m);
        CutBenchRow row = new CutBenchRow(name, model, criterion, cut, metrics.get(ModelMetrics.ACCURACY), baseAcc, beforeHeal,
                metrics.get(ModelMetrics.PARAMS).longValue(), metrics.get(ModelMetrics.MACS).longValue(), latency[1],
                latency[0] / latency[1], finetuneEpochs);
        log.println(row.toJson());
        return row;
    }

    /** Latencies of baseline and candidate measured alternately, each the fastest of a few rounds, so both see the same load. */
    private double[] latencyAgainst(Model baseline, Model model) {
        INDArray rows = data.testFeatures();
        double b = Double.MAX_VALUE;
        double c = Double.MAX_VALUE;
        for (int i = 0; i < LATENCY_ROUNDS; i++) {
            b = Math.min(b, ModelMetrics.latencyMs(baseline, rows));
            c = baseline == model ? b : Math.min(c, ModelMetrics.latencyMs(model, rows));
        }
        return new double[] {b, baseline == model ? b : c};
    }

    private static String named(List<String> names, double[] values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), String.format(Locale.ROOT, "%.4f", values[i]));
        }
        return m.toString();
    }

    public static String table(List<CutBenchRow> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-22s %-8s %-24s %8s %8s %8s %8s %9s %9s %8s %8s %5s%n",
                "name", "crit", "cut", "acc", "base", "drop", "unhealed", "params", "MACs", "ms/1000", "speedup", "heal"));
        for (CutBenchRow r : rows) {
            String cut = r.cut().stream().map(u -> u.replace("block", "")).collect(Collectors.joining(","));
            s.append(String.format(Locale.ROOT, "%-22s %-8s %-24s %8.4f %8.4f %8.4f %8s %9d %9d %8.2f %7.2fx %5d%n",
                    r.name(), r.criterion(), cut.isEmpty() ? "-" : cut, r.accuracy(), r.baselineAccuracy(), r.drop(),
                    Double.isNaN(r.accuracyBeforeHeal()) ? "-" : String.format(Locale.ROOT, "%.4f", r.accuracyBeforeHeal()),
                    r.params(), r.macs(), r.latencyMs(), r.speedup(), r.finetuneEpochs()));
        }
        return s.toString();
    }

    String toJson(List<CutBenchRow> rows) {
        Map<String, Double> rho = new HashMap<>(spearman);
        String s = rho.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(Locale.ROOT, "\"%s\":%s", e.getKey(), Double.isNaN(e.getValue()) ? "null"
                        : String.format(Locale.ROOT, "%.4f", e.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
        return "{\"spearman\":" + s + ",\n\"rows\":" + rows.stream().map(CutBenchRow::toJson)
                .collect(Collectors.joining(",\n  ", "[\n  ", "\n]")) + "}\n";
    }
}
