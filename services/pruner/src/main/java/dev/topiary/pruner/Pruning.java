package dev.topiary.pruner;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.data.Sample;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.recovery.AccuracyBudgetSearch;
import dev.topiary.nn.recovery.Distillation;
import dev.topiary.nn.recovery.FineTuner;
import dev.topiary.nn.recovery.TrainerFineTuner;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.pruner.importance.Importance;
import dev.topiary.pruner.importance.Importances;
import dev.topiary.pruner.schedule.GradualPruning;
import dev.topiary.pruner.schedule.PruningMethod;
import dev.topiary.pruner.selection.Baseline;
import dev.topiary.pruner.selection.StructuredPruner;
import dev.topiary.pruner.selection.StructuredTarget;
import dev.topiary.pruner.unstructured.MagnitudePruner;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * The pruning a service or benchmark asks for, in one call: {@link PruneSpec} in, smaller model and
 * its stats out. It wires the three parts together: the dependency graph and importance
 * (structured) or weight magnitudes (unstructured) decide what goes, the schedule decides how much
 * and when, and fine-tuning between steps recovers accuracy. The input model is never changed.
 *
 * <pre>{@code
 * PruneSpec spec = PruneSpec.fromMap(Map.of("method", "structured", "keepMacs", 0.25, "schedule", "agp"));
 * PruneResult r = Pruning.apply(model, spec, data, TrainingListener.NONE);
 * byte[] zip = CompactArtifact.write(r.model());
 * }</pre>
 */
public final class Pruning {
    /** Upper bounds of a {@code maxAccuracyDrop} search when the spec names none. */
    static final double DEFAULT_MAX_SPARSITY = 0.99;
    static final double DEFAULT_MAX_CHANNEL_SPARSITY = 0.9;

    private Pruning() {
    }

    /**
     * Prunes a copy of {@code model} as {@code spec} says, fine-tuning with the shared trainer.
     *
     * @param progress fine-tuning progress and cancellation; may be null
     * @throws dev.topiary.surgery.UnsupportedModelException naming a layer pruning cannot handle
     * @throws IllegalArgumentException when the spec does not fit the model (e.g. an unknown layer)
     */
    public static PruneResult apply(Model model, PruneSpec spec, Dataset data, TrainingListener progress) {
        return apply(model, spec, data, fineTuner(model, spec, data, progress));
    }

    /**
     * The shared trainer at the spec's fine-tuning settings, on the training rows, or on their soft
     * targets from {@code parent} when the spec distils.
     */
    public static TrainerFineTuner fineTuner(Model parent, PruneSpec spec, Dataset data, TrainingListener progress) {
        return TrainerFineTuner.of(Distillation.softTargets(data, parent, spec.distill()), spec.finetuneLearningRate(),
                spec.finetuneWeightDecay(), spec.seed(), progress);
    }

    /** As {@link #apply(Model, PruneSpec, Dataset, TrainingListener)}, fine-tuning with {@code fineTuner}. */
    public static PruneResult apply(Model model, PruneSpec spec, Dataset data, FineTuner fineTuner) {
        NetworkView.of(model, "prune"); // refuse unsupported models before any work
        InputShape input = InputCompatibility.check(model, data);
        Map<String, Double> stats = new LinkedHashMap<>();
        StructuredPruner structured = null;
        Baseline baseline = null;
        if (spec.method() == PruneSpec.Method.STRUCTURED) {
            Importance importance = Importances.named(spec.importance());
            Sample sample = importance.needsData() ? sample(data, spec) : null;
            structured = new StructuredPruner(importance, spec.minPerLayer(), sample, input, spec.roundTo());
            baseline = structured.baseline(model);
        }
        GradualPruning schedule = new GradualPruning(spec.schedule(), fineTuner, spec.finetuneEpochs(), spec.pruneUntil());
        StructuredPruner pruner = structured;
        Baseline before = baseline;
        Method at = amount -> method(spec, amount, pruner, before);

        Model pruned;
        double amount;
        if (spec.maxAccuracyDrop() == null) {
            amount = targetAmount(spec);
            pruned = schedule.run(copy(model), at.at(amount));
        } else {
            // chosen on the holdout, never on the test split whose accuracy the version then reports
            double accuracyBefore = ModelMetrics.holdoutScore(model, data).accuracy();
            AccuracyBudgetSearch.Result found = new AccuracyBudgetSearch(accuracyBefore, spec.maxAccuracyDrop(),
                    spec.searchProbes()).search(searchUpper(spec), a -> {
                        Model m = schedule.run(copy(model), at.at(a));
                        return new AccuracyBudgetSearch.Candidate(a, m, ModelMetrics.holdoutScore(m, data).accuracy());
                    });
            AccuracyBudgetSearch.Candidate best = found.best() != null ? found.best()
                    : new AccuracyBudgetSearch.Candidate(0, copy(model), accuracyBefore);
            pruned = best.model();
            amount = best.amount();
            stats.put("holdoutAccuracyBefore", accuracyBefore);
            stats.put("holdoutAccuracyAfter", best.accuracy());
            stats.put("searchProbes", (double) found.probes());
        }
        stats.put("amount", amount);
        stats.put("steps", (double) spec.schedule().steps());
        stats.put("finetuneEpochs", (double) spec.totalFinetuneEpochs());
        stats.put("weightSparsity", MagnitudePruner.weightSparsity(pruned));
        if (pruner != null) {
            stats.put("macsBefore", (double) before.macs());
            stats.put("macsAfter", (double) pruner.macs(pruned));
            stats.put("channelsBefore", (double) channels(model));
            stats.put("channelsAfter", (double) channels(pruned));
        }
        return new PruneResult(pruned, stats);
    }

    @FunctionalInterface
    private interface Method {
        PruningMethod at(double amount);
    }

    private static PruningMethod method(PruneSpec spec, double amount, StructuredPruner pruner, Baseline baseline) {
        if (spec.method() == PruneSpec.Method.MAGNITUDE) {
            return new MagnitudeMethod(spec.global() ? MagnitudePruner.Scope.GLOBAL : MagnitudePruner.Scope.LAYER,
                    amount, spec.layers());
        }
        StructuredTarget target = spec.keepMacs() != null
                ? new StructuredTarget.KeepMacs(1 - amount, spec.global())
                : new StructuredTarget.Sparsity(amount, spec.global(), spec.layers());
        return new StructuredMethod(pruner, target, baseline);
    }

    /** The amount the schedule works towards: sparsity, or the share of MACs removed. */
    private static double targetAmount(PruneSpec spec) {
        return spec.keepMacs() != null ? 1 - spec.keepMacs() : spec.sparsity();
    }

    private static double searchUpper(PruneSpec spec) {
        if (spec.keepMacs() != null || spec.sparsity() != null) {
            return targetAmount(spec);
        }
        return spec.method() == PruneSpec.Method.MAGNITUDE ? DEFAULT_MAX_SPARSITY : DEFAULT_MAX_CHANNEL_SPARSITY;
    }

    /** Channels in groups that may be pruned (hidden neurons and filters). */
    static long channels(Model model) {
        return DependencyGraph.of(NetworkView.of(model, "prune")).prunableGroups().stream()
                .mapToLong(ChannelGroup::size).sum();
    }

    /** A seeded random subset of the training rows (not the holdout) for data-driven importance. */
    static Sample sample(Dataset data, PruneSpec spec) {
        return Sample.fromTraining(data, spec.importanceSamples(), spec.seed());
    }

    /** A deep copy, so pruning in place and fine-tuning never touch the caller's model. */
    static Model copy(Model model) {
        return Network.of(model).copy().model();
    }
}
