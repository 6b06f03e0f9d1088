package dev.topiary.cutter;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.data.Sample;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.recovery.AccuracyBudgetSearch;
import dev.topiary.nn.recovery.Distillation;
import dev.topiary.nn.recovery.FineTuner;
import dev.topiary.nn.recovery.HeadRefit;
import dev.topiary.nn.recovery.TrainerFineTuner;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.macs.MacCounter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The cut a service or benchmark asks for, in one call: {@link CutSpec} in, shorter (healed) model
 * and its stats out. The candidates come from {@link CutUnit#find}, the choice from a
 * {@link Selection} scored on holdout rows, the network from {@link CutEditor}, and healing from
 * the shared trainer. Under {@code maxAccuracyDrop} the number of cuts is searched with nn's
 * {@link AccuracyBudgetSearch}, each probe cut and healed from the original and judged on the
 * holdout, never on the test split. The input model is never changed.
 *
 * <pre>{@code
 * CutSpec spec = CutSpec.fromMap(Map.of("criterion", "loss", "blocks", 4, "finetuneEpochs", 2));
 * CutResult r = Cutting.apply(model, spec, data, TrainingListener.NONE);
 * }</pre>
 */
public final class Cutting {
    /** Training rows the head is refitted on: for a softmax layer of a few thousand weights, more than enough. */
    private static final int HEAD_REFIT_ROWS = 16384;

    private Cutting() {
    }

    /**
     * Cuts a copy of {@code model} as {@code spec} says, healing with the shared trainer.
     *
     * @param progress healing progress and cancellation; may be null
     * @throws dev.topiary.surgery.UnsupportedModelException naming a layer the cut cannot handle
     * @throws IllegalArgumentException when there is nothing to cut, or the spec asks for more than there is
     */
    public static CutResult apply(Model model, CutSpec spec, Dataset data, TrainingListener progress) {
        return apply(model, spec, data, healing(model, spec, data, progress));
    }

    /**
     * How a cut model heals: {@code targets} are the labels a head refit fits and fine-tuning trains
     * on (the training labels, or soft ones from the parent when distilling), {@code tuner} the
     * fine-tuning itself.
     */
    public record Healing(Dataset targets, FineTuner tuner) {
    }

    /** The shared trainer at the spec's healing settings, on the training rows or their soft targets from {@code parent}. */
    public static Healing healing(Model parent, CutSpec spec, Dataset data, TrainingListener progress) {
        if (!spec.heals()) {
            return new Healing(data, FineTuner.NONE);
        }
        Dataset targets = Distillation.softTargets(data, parent, spec.distill());
        return new Healing(targets, TrainerFineTuner.of(targets, spec.finetuneLearningRate(), spec.finetuneWeightDecay(),
                spec.seed(), progress));
    }

    /** As {@link #apply(Model, CutSpec, Dataset, Healing)}, fine-tuning with {@code tuner} on the data set's own labels. */
    public static CutResult apply(Model model, CutSpec spec, Dataset data, FineTuner tuner) {
        return apply(model, spec, data, new Healing(data, tuner));
    }

    /** As {@link #apply(Model, CutSpec, Dataset, TrainingListener)}, healing as {@code healer} says. */
    public static CutResult apply(Model model, CutSpec spec, Dataset data, Healing healer) {
        NetworkView view = NetworkView.of(model, "cut"); // refuse unsupported layer types before any work
        InputShape shape = InputCompatibility.check(model, data);
        if (spec.refitHead()) {
            HeadRefit.check(model); // a cut keeps the output layer, so its head can be judged before scoring
        }
        Network original = Network.of(model);
        List<CutUnit> units = CutUnit.find(view, shape.inputType(), spec.bridge());
        if (units.isEmpty()) {
            throw new IllegalArgumentException(CutUnit.nothingToCut(spec.bridge()));
        }
        int upTo = spec.upTo(units.size());
        if (upTo > units.size()) {
            throw new IllegalArgumentException("cut: asked to cut " + upTo + " but the model has " + units.size()
                    + " units to cut: " + units.stream().map(CutUnit::name).toList());
        }
        INDArray scoreRows = shape.rows(holdoutRows(data, spec.scoreSamples()));
        INDArray bridgeRows = spec.bridge()
                ? shape.rows(Sample.fromTraining(data, spec.bridgeSamples(), spec.seed()).features()) : null;
        CutEditor editor = new CutEditor(original, shape, spec, bridgeRows);
        Selection selection = new Selection(spec.criterion(), spec.oneRun(), units,
                stretches -> Similarity.scores(original, scoreRows, stretches, spec.criterion()),
                cut -> ModelMetrics.holdoutScore(editor.cut(cut).network().model(), data).loss());

        double before = ModelMetrics.holdoutScore(model, data).accuracy();
        Map<String, Double> stats = new LinkedHashMap<>();
        Probe chosen;
        if (spec.keepMacs() != null) {
            chosen = probe(countForMacs(model, shape, spec.keepMacs(), upTo, selection, editor), selection, editor, data,
                    healer, spec);
        } else if (spec.maxAccuracyDrop() == null) {
            chosen = probe(upTo, selection, editor, data, healer, spec);
        } else {
            Map<Integer, Probe> probes = new HashMap<>(); // amounts that round to the same count cost one probe
            AccuracyBudgetSearch.Result found = new AccuracyBudgetSearch(before, spec.maxAccuracyDrop(), spec.searchProbes())
                    .search(upTo, amount -> {
                        int k = Math.max(1, (int) Math.floor(amount + 1e-9));
                        Probe p = probes.computeIfAbsent(k, n -> probe(n, selection, editor, data, healer, spec));
                        return new AccuracyBudgetSearch.Candidate(k, p.healed(), p.accuracyAfter());
                    });
            if (found.best() == null) {
                throw new IllegalArgumentException("cut: even one cut costs more than maxAccuracyDrop "
                        + spec.maxAccuracyDrop() + " on the holdout (best: " + bestOf(probes, before) + ")");
            }
            chosen = probes.get((int) found.best().amount());
            stats.put("searchProbes", (double) probes.size());
        }
        stats.put("cuts", (double) chosen.removed().size());
        stats.put("units", (double) units.size());
        stats.put("layersRemoved", (double) (view.nodes().size()
                - NetworkView.of(chosen.healed(), "cut").nodes().size()));
        stats.put("holdoutAccuracyBefore", before);
        stats.put("holdoutAccuracyBeforeHeal", chosen.accuracyBeforeHeal());
        stats.put("holdoutAccuracyAfter", chosen.accuracyAfter());
        stats.put("finetuneEpochs", (double) spec.finetuneEpochs());
        stats.put("bridgeParams", (double) chosen.bridgeParams());
        stats.put("healKept", chosen.healKept() ? 1.0 : 0.0);
        double score = selection.chosenScore(chosen.removed().size());
        if (!Double.isNaN(score)) {
            stats.put(spec.criterion().label(), score);
        }
        return new CutResult(chosen.healed(), chosen.removed().stream().map(CutUnit::name).toList(), selection.scores(), stats);
    }

    /**
     * {@code model} without the named units (as {@link CutUnit#find} names them: {@code block3}, a
     * layer's name), no bridge, no healing: to look at one cut, as the benchmark's leave-one-out does.
     */
    public static Model without(Model model, Dataset data, List<String> unitNames) {
        InputShape shape = InputCompatibility.check(model, data);
        Network original = Network.of(model);
        List<CutUnit> units = CutUnit.find(NetworkView.of(model, "cut"), shape.inputType(), false);
        List<CutUnit> chosen = unitNames.stream().map(name -> units.stream().filter(u -> u.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("cut: no unit named '" + name + "' (units: "
                        + units.stream().map(CutUnit::name).toList() + ")"))).toList();
        return new CutEditor(original, shape, CutSpec.fromMap(Map.of("blocks", 1)), null).cut(chosen).network().model();
    }

    /** The names of the units {@code model} offers to a cut without a bridge, in topological order. */
    public static List<String> units(Model model, Dataset data) {
        InputShape shape = InputCompatibility.check(model, data);
        return CutUnit.find(NetworkView.of(model, "cut"), shape.inputType(), false).stream().map(CutUnit::name).toList();
    }

    /** One cut of {@code k} units, healed, with its holdout accuracy before and after healing. */
    private record Probe(List<CutUnit> removed, Model healed, double accuracyBeforeHeal, double accuracyAfter, long bridgeParams,
                         boolean healKept) {
    }

    private static Probe probe(int k, Selection selection, CutEditor editor, Dataset data, Healing healer, CutSpec spec) {
        List<CutUnit> cut = selection.cuts(k);
        CutEditor.Cut c = editor.cut(cut);
        Model m = c.network().model();
        double beforeHeal = ModelMetrics.holdoutScore(m, data).accuracy();
        if (!spec.heals()) {
            return new Probe(cut, m, beforeHeal, beforeHeal, c.bridgeParams(), false);
        }
        Model healed = Network.of(m).copy().model();
        heal(healed, spec.finetuneEpochs(), spec, healer);
        double after = ModelMetrics.holdoutScore(healed, data).accuracy();
        // healing that loses holdout accuracy (a fitted bridge can start closer to the parent than
        // a fresh optimiser's first steps leave it) is not kept: chosen on the holdout, as every choice
        return after >= beforeHeal ? new Probe(cut, healed, beforeHeal, after, c.bridgeParams(), true)
                : new Probe(cut, m, beforeHeal, beforeHeal, c.bridgeParams(), false);
    }

    /**
     * Heals {@code model} in place as {@code spec} says after a cut: the head refitted if asked, then
     * {@code epochs} epochs of fine-tuning. Public so a benchmark can give an uncut network the same
     * treatment as a control.
     */
    public static void heal(Model model, int epochs, CutSpec spec, Healing healer) {
        if (spec.refitHead()) {
            HeadRefit.refit(model, healer.targets(), HEAD_REFIT_ROWS, spec.seed());
        }
        if (epochs > 0) {
            healer.tuner().fineTune(model, epochs, StepHook.NONE);
        }
    }

    /** The fewest cuts, in the selection's order, that leave at most {@code keep} of the model's MACs. */
    private static int countForMacs(Model model, InputShape shape, double keep, int upTo, Selection selection,
            CutEditor editor) {
        long macs = MacCounter.count(model, shape.inputType());
        long target = (long) Math.floor(keep * macs);
        long fewest = macs;
        for (int k = 1; k <= upTo; k++) {
            long left = MacCounter.count(editor.cut(selection.cuts(k)).network().model(), shape.inputType());
            if (left <= target) {
                return k;
            }
            fewest = Math.min(fewest, left);
        }
        throw new IllegalArgumentException("cut: keepMacs " + keep + " asks for at most " + target + " MACs; cutting all "
                + upTo + " units leaves " + fewest + " of " + macs);
    }

    private static String bestOf(Map<Integer, Probe> probes, double before) {
        return probes.entrySet().stream().map(e -> e.getKey() + " cut(s): drop "
                + String.format(Locale.ROOT, "%.4f", before - e.getValue().accuracyAfter())).toList().toString();
    }

    /** The first {@code count} holdout rows: the similarity criteria score on rows no stage trained on. */
    private static INDArray holdoutRows(Dataset data, int count) {
        INDArray rows = data.holdoutFeatures();
        long n = Math.min(count, rows.size(0));
        return rows.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
    }
}
