package dev.topiary.merger.bench;

import dev.topiary.merger.MergeResult;
import dev.topiary.merger.MergeSpec;
import dev.topiary.merger.Member;
import dev.topiary.merger.Merging;
import dev.topiary.cutter.Cutting;
import dev.topiary.merger.layers.LayerCollapse;
import dev.topiary.nn.recovery.TrainerFineTuner;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.FrozenLayers;
import dev.topiary.nn.train.LearningRateSchedule;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.pruner.PruneSpec;
import dev.topiary.pruner.Pruning;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code topiary bench merge [--json FILE] [--quick] [--only
 * fusions|soups|inits|inits-cnn|tasks|neurons|layers] [--epochs-scale F]}: what merging does on
 * Fashion-MNIST, in one run. Fusions (fold-batchnorm on the batch-norm LeNet and rescnn,
 * fuse-linear on an MLP with a linear layer): the largest output difference, whether every
 * prediction is the same, and the speedup. Soups: the 784-300-100-10 MLP trained, then ten
 * fine-tunes (five seeds by two learning rates; at a constant rate, then again cosine-decayed),
 * uniform and greedy soup against the ingredients. Different initialisations: two 784-512-512-10
 * MLPs from different seeds ({@code inits}), and two LeNets without batch norm
 * ({@code inits-cnn}), the naive average, align, and align + REPAIR, each with its barrier (mean
 * of the endpoints' accuracy minus the merged one's). Task merges: fine-tunes on classes 0-4 and
 * 5-9 (of the whole network or of its output layer only, under the ten-way softmax or with a loss
 * over their own five classes) merged by task arithmetic, TIES and DARE (λ and the best row on
 * the holdout), against the parent, each fine-tune and their ensemble. Neuron merging: 30% of the
 * MLP's hidden units merged (least squares on Gaussian inputs, the pair rule, least squares on
 * training rows) beside the structured l2 prune of as many units, none fine-tuned. Layer collapse:
 * two of a residual MLP's four blocks collapsed (LaCo) against the cut service's removal of the
 * same blocks, both healed alike.
 * Every choice is made on the holdout; accuracy is on the test split. {@code --epochs-scale}
 * multiplies every epoch count (at least 1 each), for a shorter run on a loaded machine.
 */
public final class MergeBenchmark {
    private static final int LATENCY_ROUNDS = 3;
    /** λ candidates of the task merges: down to 0.1, as the half-class fine-tunes' vectors carry their forgetting. */
    private static final List<Double> TASK_LAMBDAS = List.of(0.1, 0.25, 0.5, 0.75, 1.0);
    private final Dataset data;
    private final double scale;
    private final PrintStream log;
    private final List<BenchRow> rows = new ArrayList<>();

    public MergeBenchmark(Dataset data, double scale, PrintStream log) {
        this.data = data;
        this.scale = scale;
        this.log = log;
    }

    /** Runs the benchmark, prints the table and writes the JSON; refuses bad options before any work. */
    public static void run(MergeBenchOptions options, PrintStream out) throws Exception {
        options.validate();
        String name = options.quick ? DatasetCatalog.FASHION_MNIST + "?train=3000&test=1000" : DatasetCatalog.FASHION_MNIST;
        MergeBenchmark bench = new MergeBenchmark(DatasetCatalog.resolve(name), options.scale(), out);
        long start = System.nanoTime();
        List<BenchRow> rows = bench.run(options.only);
        out.println();
        out.print(table(rows));
        out.printf(Locale.ROOT, "(%s, %.0f s in all; machine shared, speed as ratios within this run)%n", name,
                (System.nanoTime() - start) / 1e9);
        if (options.json != null) {
            Files.writeString(options.json, rows.stream().map(BenchRow::toJson).collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n")));
            out.println("wrote " + options.json);
        }
    }

    public List<BenchRow> run(List<String> only) {
        if (only.isEmpty() || only.contains("fusions")) {
            fusions();
        }
        Model base = null;
        if (only.isEmpty() || only.contains("soups") || only.contains("tasks") || only.contains("neurons")) {
            base = ModelFactory.mlp(784, 300, 100, 10);
            train(base, TrainingConfig.defaults().withEpochs(epochs(5)), "784-300-100-10 base");
        }
        if (only.isEmpty() || only.contains("soups")) {
            soups(base);
        }
        if (only.isEmpty() || only.contains("inits")) {
            differentInits("different inits", seed -> ModelFactory.mlp(seed, new int[] {784, 512, 512, 10}), epochs(10));
        }
        if (only.isEmpty() || only.contains("inits-cnn")) {
            // LeNet without batch norm: alignment and REPAIR on convolutions (and Dense layers behind a flattening)
            differentInits("inits lenet", ModelFactory::cnn, epochs(2));
        }
        if (only.isEmpty() || only.contains("tasks")) {
            tasks(base);
        }
        if (only.isEmpty() || only.contains("neurons")) {
            neurons(base);
        }
        if (only.isEmpty() || only.contains("layers")) {
            layers();
        }
        return rows;
    }

    private void fusions() {
        Model lenet = ModelFactory.cnn(ModelFactory.DEFAULT_SEED, true);
        train(lenet, TrainingConfig.defaults().withEpochs(epochs(2)), "batch-norm LeNet");
        fusion("lenet-bn fold", lenet, "fold-batchnorm");
        // rescnn is slow to train and to time on one shared core (16x3: a minute per 2,700 rows); folding is
        // exact whatever its weights, so 8 filters by 2 blocks, one epoch on 3,000 rows, gives it trained
        // batch-norm statistics in seconds
        Model rescnn = ModelFactory.rescnn(8, 2, 10, ModelFactory.DEFAULT_SEED);
        train(rescnn, TrainingConfig.defaults().withEpochs(1), data.limit(3000, 0), "rescnn 8x2 (3,000 rows)");
        fusion("rescnn8x2 fold", rescnn, "fold-batchnorm");
        Model linear = linearMlp();
        train(linear, TrainingConfig.defaults().withEpochs(epochs(2)), "784-300(linear)-100-10");
        fusion("mlp-linear fuse", linear, "fuse-linear");
    }

    private void fusion(String name, Model model, String method) {
        MergeResult r = merge(List.of(model), List.of(new Member("m", List.of())), Map.of("method", method));
        Model fused = r.network().model();
        INDArray before = ModelMetrics.output(model, data.testFeatures());
        INDArray after = ModelMetrics.output(fused, data.testFeatures());
        double diff = Transforms.abs(before.sub(after)).maxNumber().doubleValue();
        boolean same = before.argMax(1).equals(after.argMax(1));
        double[] latency = latency(model, fused);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("parentAccuracy", accuracy(model));
        v.put("maxAbsDiff", diff);
        v.put("samePredictions", same ? 1.0 : 0.0);
        v.put("speedup", latency[0] / latency[1]);
        v.put("layersBefore", (double) Network.of(model).layers().length);
        v.put("layersAfter", (double) r.network().layers().length);
        add(new BenchRow(name, method, accuracy(fused), v));
    }

    /**
     * Ten fine-tunes of the base, souped; twice: fine-tunes at a constant rate (the schedule the
     * merger README recommends for soup ingredients), then on a cosine schedule (to zero, as training
     * runs by default). Cosine-decayed fine-tunes of one parent at these rates end at almost one
     * point (holdout losses within 0.002), so their soup has nothing to average out; constant-rate
     * ones end scattered around it, which is what a soup removes.
     */
    private void soups(Model base) {
        for (LearningRateSchedule schedule : new LearningRateSchedule[] {LearningRateSchedule.CONSTANT, LearningRateSchedule.COSINE}) {
            String suffix = schedule == LearningRateSchedule.CONSTANT ? "" : " cosine";
            List<Model> ingredients = new ArrayList<>();
            List<Member> members = new ArrayList<>();
            for (double lr : new double[] {1e-4, 3e-4}) {
                for (int seed = 1; seed <= 5; seed++) {
                    Model m = Network.of(base).copy().model();
                    train(m, TrainingConfig.defaults().withEpochs(epochs(2)).withLearningRate(lr).withSeed(seed).withSchedule(schedule),
                            String.format(Locale.ROOT, "fine-tune seed %d lr %.0e %s", seed, lr, schedule));
                    ingredients.add(m);
                    members.add(new Member("ft-" + members.size(), List.of("base")));
                }
            }
            double[] acc = ingredients.stream().mapToDouble(this::accuracy).toArray();
            double best = java.util.Arrays.stream(acc).max().orElseThrow();
            double mean = java.util.Arrays.stream(acc).average().orElseThrow();
            for (String method : new String[] {"average", "greedy-soup"}) {
                MergeResult r = merge(ingredients, members, Map.of("method", method));
                Map<String, Double> v = new LinkedHashMap<>();
                v.put("bestIngredientAccuracy", best);
                v.put("meanIngredientAccuracy", mean);
                v.put("ingredients", r.stats().get(MergeResult.INGREDIENTS));
                v.put("holdoutAccuracy", r.stats().get(MergeResult.HOLDOUT_ACCURACY));
                add(new BenchRow((method.equals("average") ? "uniform soup of 10" : "greedy soup of 10") + suffix, method,
                        accuracy(r.network().model()), v));
            }
        }
    }

    /** Two networks from seeds 1 and 2, trained alike, merged naively, aligned, and aligned with REPAIR. */
    private void differentInits(String name, java.util.function.LongFunction<Model> bySeed, int epochs) {
        Model a = bySeed.apply(1);
        Model b = bySeed.apply(2);
        train(a, TrainingConfig.defaults().withEpochs(epochs).withSeed(1), name + " seed 1");
        train(b, TrainingConfig.defaults().withEpochs(epochs).withSeed(2), name + " seed 2");
        double endpoints = (accuracy(a) + accuracy(b)) / 2;
        List<Member> members = List.of(new Member("a", List.of()), new Member("b", List.of()));
        double naive = accuracy(merge(List.of(a, b), members, Map.of("method", "average")).network().model());
        Map<String, Double> nv = new LinkedHashMap<>();
        nv.put("endpointAccuracy", endpoints);
        nv.put("barrier", endpoints - naive);
        add(new BenchRow(name + " naive", "average", naive, nv));
        for (boolean repair : new boolean[] {false, true}) {
            Map<String, Object> params = repair ? Map.of("method", "align", "repair", true) : Map.of("method", "align");
            MergeResult r = merge(List.of(a, b), members, params);
            double acc = accuracy(r.network().model());
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("endpointAccuracy", endpoints);
            v.put("naiveAccuracy", naive);
            v.put("barrier", endpoints - acc);
            v.put("naiveBarrier", endpoints - naive);
            v.put("barrierRemoved", (endpoints - naive) > 0 ? 1 - (endpoints - acc) / (endpoints - naive) : Double.NaN);
            v.put("alignRounds", r.stats().get(MergeResult.ALIGN_ROUNDS));
            add(new BenchRow(name + (repair ? " align+repair" : " align"), "align", acc, v));
        }
    }

    /**
     * Fine-tunes on classes 0-4 and 5-9, merged by each task method; four ways, all at 3e-4 for two
     * epochs: the whole network or only its output layer (the hidden layers frozen), each under the
     * full ten-way softmax or with a loss over its own five classes only ({@link OwnClassesFineTune}).
     * λ from 0.1 to 1 is chosen on the holdout, and so is the best of the rows.
     */
    private void tasks(Model parent) {
        // From the rows the parent trained on only: a class filter's own holdout is its last tenth, which
        // would otherwise overlap the whole set's holdout, where λ and the method are chosen
        Dataset fit = data.limit(data.fitSize(), 0);
        int[] lowClasses = {0, 1, 2, 3, 4};
        int[] highClasses = {5, 6, 7, 8, 9};
        NetworkView view = NetworkView.describing(parent);
        List<String> hidden = view.nodes().stream().filter(n -> !view.params(n).isEmpty()).map(Node::name)
                .filter(n -> !n.equals(view.output())).toList();
        BenchRow bestRow = null;
        double bestHoldout = -1;
        List<BenchRow> taskRows = new ArrayList<>();
        for (boolean ownClasses : new boolean[] {false, true}) {
            for (boolean headOnly : new boolean[] {false, true}) {
                String setup = (ownClasses ? "own " : "") + (headOnly ? "head" : "whole");
                TrainingConfig ft = TrainingConfig.defaults().withEpochs(epochs(2)).withLearningRate(3e-4);
                List<String> frozen = headOnly ? hidden : List.of();
                Model ftLow = taskFineTune(parent, fit, lowClasses, ft, frozen, ownClasses, setup);
                Model ftHigh = taskFineTune(parent, fit, highClasses, ft, frozen, ownClasses, setup);
                INDArray ensemble = ModelMetrics.output(ftLow, data.testFeatures()).add(ModelMetrics.output(ftHigh, data.testFeatures()));
                double ensembleAccuracy = ensemble.argMax(1).eq(data.testLabels().argMax(1)).castTo(
                        org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber().doubleValue() / data.testSize();
                List<Member> members = List.of(new Member("parent", List.of()), new Member("low", List.of("parent")),
                        new Member("high", List.of("parent")));
                List<Model> models = List.of(parent, ftLow, ftHigh);
                for (String method : new String[] {"task-arithmetic", "ties", "dare"}) {
                    MergeResult r = merge(models, members, Map.of("method", method, "lambda", TASK_LAMBDAS));
                    Map<String, Double> v = new LinkedHashMap<>();
                    v.put("parentAccuracy", accuracy(parent));
                    v.put("lowFineTuneAccuracy", accuracy(ftLow));
                    v.put("highFineTuneAccuracy", accuracy(ftHigh));
                    v.put("ensembleAccuracy", ensembleAccuracy);
                    v.put("lambda", r.stats().get(MergeResult.LAMBDA));
                    double holdout = r.stats().get(MergeResult.HOLDOUT_ACCURACY);
                    v.put("holdoutAccuracy", holdout);
                    v.put("parentHoldoutAccuracy", ModelMetrics.holdoutScore(parent, data).accuracy());
                    BenchRow row = new BenchRow("tasks " + setup + " " + method, method, accuracy(r.network().model()), v);
                    if (holdout > bestHoldout) {
                        bestHoldout = holdout;
                        bestRow = row;
                    }
                    taskRows.add(row);
                }
            }
        }
        for (BenchRow row : taskRows) {
            Map<String, Double> v = new LinkedHashMap<>(row.values());
            v.put("bestOnHoldout", row == bestRow ? 1.0 : 0.0);
            add(new BenchRow(row.name(), row.method(), row.accuracy(), v));
        }
    }

    /** One task fine-tune of a copy of {@code parent} on the rows of {@code classes}. */
    private Model taskFineTune(Model parent, Dataset fit, int[] classes, TrainingConfig ft, List<String> frozen,
                               boolean ownClasses, String setup) {
        String what = "fine-tune " + setup + " on classes " + classes[0] + "-" + classes[classes.length - 1];
        if (ownClasses) {
            long start = System.nanoTime();
            Model tuned = OwnClassesFineTune.fineTune(Network.of(parent), fit, classes, ft, frozen).model();
            log.printf(Locale.ROOT, "trained %s: %d epochs in %.0f s, test accuracy %.4f%n", what, ft.epochs(),
                    (System.nanoTime() - start) / 1e9, accuracy(tuned));
            return tuned;
        }
        Model tuned = Network.of(parent).copy().model();
        Dataset rows = fit.withClasses(IntStream.of(classes).boxed().collect(Collectors.toSet()));
        train(tuned, ft, rows, frozen.isEmpty() ? StepHook.NONE : FrozenLayers.of(tuned, frozen), what);
        return tuned;
    }

    /**
     * 30% of the MLP's hidden units merged with no training, beside the structured l2 prune of as
     * many units: least squares on Gaussian inputs (the default, data-free), the pair rule
     * (data-free), and least squares on training rows (data-aware, not what the target is
     * about). {@code dropRatio} is the merge's accuracy drop over the prune's.
     */
    private void neurons(Model base) {
        double baseline = accuracy(base);
        Model pruned = Pruning.apply(base, PruneSpec.fromMap(Map.of("method", "structured", "scope", "layer",
                "importance", "l2", "sparsity", 0.3, "finetuneEpochs", 0)), data, TrainingListener.NONE).model();
        double prunedAccuracy = accuracy(pruned);
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        variants.put("neurons 30% least-squares", Map.of("method", "neurons", "fraction", 0.3));
        variants.put("neurons 30% pairs", Map.of("method", "neurons", "fraction", 0.3, "compensation", "pairs"));
        variants.put("neurons 30% data-aware", Map.of("method", "neurons", "fraction", 0.3, "inputs", "data"));
        for (Map.Entry<String, Map<String, Object>> variant : variants.entrySet()) {
            MergeResult merged = merge(List.of(base), List.of(new Member("m", List.of())), variant.getValue());
            double mergedAccuracy = accuracy(merged.network().model());
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("baselineAccuracy", baseline);
            v.put("pruneAccuracy", prunedAccuracy);
            v.put("mergeDrop", baseline - mergedAccuracy);
            v.put("pruneDrop", baseline - prunedAccuracy);
            v.put("dropRatio", baseline > prunedAccuracy ? (baseline - mergedAccuracy) / (baseline - prunedAccuracy) : Double.NaN);
            v.put("holdoutAccuracy", ModelMetrics.holdoutScore(merged.network().model(), data).accuracy());
            v.put("mergedUnits", merged.stats().get(MergeResult.MERGED_UNITS));
            v.put("params", (double) merged.network().model().numParams());
            v.put("pruneParams", (double) pruned.numParams());
            add(new BenchRow(variant.getKey(), "neurons", mergedAccuracy, v));
        }
    }

    /** resmlp 784-128x4: two blocks collapsed (LaCo) against the cut service's removal of the same blocks, each healed for the same epochs. */
    private void layers() {
        Model resmlp = ModelFactory.resmlp(784, 128, 4, 10, ModelFactory.DEFAULT_SEED);
        train(resmlp, TrainingConfig.defaults().withEpochs(epochs(5)), "resmlp 784-128x4");
        double baseline = accuracy(resmlp);
        int heal = epochs(1);
        LayerCollapse.Result collapsed = LayerCollapse.collapse(Network.of(resmlp), 2, data);
        List<String> units = Cutting.units(resmlp, data);
        List<String> sameBlocks = collapsed.removed().stream()
                .map(add -> units.stream().filter(u -> add.equals(u + "_add") || add.equals(u)).findFirst().orElseThrow(
                        () -> new IllegalStateException("the cut service offers no unit for block '" + add + "': " + units)))
                .toList();
        Network removed = Network.of(Cutting.without(resmlp, data, sameBlocks)); // the cut service's removal
        double collapsedBeforeHeal = accuracy(collapsed.network().model());
        double removedBeforeHeal = accuracy(removed.model());
        TrainerFineTuner healing = TrainerFineTuner.of(data, 1e-3, 0.01, 42, null);
        healing.fineTune(collapsed.network().model(), heal, StepHook.NONE);
        healing.fineTune(removed.model(), heal, StepHook.NONE);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("baselineAccuracy", baseline);
        v.put("removeAccuracy", accuracy(removed.model()));
        v.put("collapseAccuracyBeforeHeal", collapsedBeforeHeal);
        v.put("removeAccuracyBeforeHeal", removedBeforeHeal);
        v.put("healEpochs", (double) heal);
        v.put("params", (double) collapsed.network().model().numParams());
        v.put("baselineParams", (double) resmlp.numParams());
        add(new BenchRow("resmlp collapse 2 of 4 blocks", "layers", accuracy(collapsed.network().model()), v));
        log.println("collapsed into " + collapsed.into() + ": " + collapsed.removed());
    }

    private MergeResult merge(List<Model> models, List<Member> members, Map<String, Object> params) {
        long start = System.nanoTime();
        MergeResult r = Merging.apply(models.stream().map(Network::of).toList(), members, data, MergeSpec.fromMap(params));
        log.printf(Locale.ROOT, "merged %s in %.1f s: %s%n", params, (System.nanoTime() - start) / 1e9, r.stats());
        return r;
    }

    private void train(Model model, TrainingConfig config, String what) {
        train(model, config, data, what);
    }

    private void train(Model model, TrainingConfig config, Dataset on, String what) {
        train(model, config, on, StepHook.NONE, what);
    }

    private void train(Model model, TrainingConfig config, Dataset on, StepHook hook, String what) {
        long start = System.nanoTime();
        new Trainer(config).fit(model, on, null, hook);
        log.printf(Locale.ROOT, "trained %s: %d epochs in %.0f s, test accuracy %.4f%n", what, config.epochs(),
                (System.nanoTime() - start) / 1e9, accuracy(model));
    }

    private int epochs(int full) {
        return Math.max(1, (int) Math.round(full * scale));
    }

    private double accuracy(Model model) {
        return ModelMetrics.score(model, data).accuracy();
    }

    /** Latencies of the original and the merged model, measured alternately so both see the same load; each the fastest round. */
    private double[] latency(Model original, Model merged) {
        double a = Double.MAX_VALUE;
        double b = Double.MAX_VALUE;
        for (int i = 0; i < LATENCY_ROUNDS; i++) {
            a = Math.min(a, ModelMetrics.latencyMs(original, data.testFeatures()));
            b = Math.min(b, ModelMetrics.latencyMs(merged, data.testFeatures()));
        }
        return new double[] {a, b};
    }

    private void add(BenchRow row) {
        rows.add(row);
        log.println(row.toJson());
    }

    /** 784 → 300 linear → 100 ReLU → 10: the linear layer fuses into the next (235,200 + 30,000 weights become 78,400). */
    private static MultiLayerNetwork linearMlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(ModelFactory.DEFAULT_SEED)
                .updater(new Adam(ModelFactory.DEFAULT_LEARNING_RATE)).list()
                .layer(new DenseLayer.Builder().name("linear").nOut(300).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER).build())
                .layer(new DenseLayer.Builder().name("dense1").nOut(100).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        return net;
    }

    public static String table(List<BenchRow> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-30s %-16s %8s  %s%n", "name", "method", "accuracy", "measurements"));
        for (BenchRow r : rows) {
            String values = r.values().entrySet().stream()
                    .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4g", e.getValue()))
                    .collect(Collectors.joining(" "));
            s.append(String.format(Locale.ROOT, "%-30s %-16s %8.4f  %s%n", r.name(), r.method(), r.accuracy(), values));
        }
        return s.toString();
    }
}
