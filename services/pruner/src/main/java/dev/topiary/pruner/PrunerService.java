package dev.topiary.pruner;

import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.CompactArtifact;
import dev.topiary.nn.recovery.TrainerFineTuner;
import dev.topiary.nn.stage.ChangedModel;
import dev.topiary.nn.stage.ModelServiceKind;
import dev.topiary.nn.stage.ModelStage;
import dev.topiary.nn.stage.StageProgress;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.Transformation;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pruning service ({@code uses: prune}): removes single weights by magnitude (unstructured,
 * masks kept through fine-tuning) or whole neurons and filters by importance (structured: the
 * network is rebuilt physically smaller), to a sparsity, a MAC budget or an accuracy budget, in one
 * shot or gradually (AGP) with fine-tuning between steps. The result is stored as a compact zip
 * that DL4J's ModelSerializer still loads. A layer type it cannot handle is refused by name.
 */
public final class PrunerService implements ModelServiceKind {
    public static final String NAME = "prune";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "prune weights (magnitude) or neurons and filters (structured)";
    }

    /** What {@link Pruning} measures: {@link PruneResult#STATS}, published as {@code prune.<name>}. */
    @Override
    public Set<String> metrics() {
        return PruneResult.STATS;
    }

    @Override
    public Transformation create(StageParams params) {
        PruneSpec spec = PruneSpec.from(params);
        return new ModelStage((model, data, input) -> {
            TrainerFineTuner fineTuner = Pruning.fineTuner(model, spec, data, new StageProgress(input, "fine-tuning"));
            PruneResult result = Pruning.apply(model, spec, data, fineTuner);
            Map<String, Double> stats = new TreeMap<>();
            result.stats().forEach((k, v) -> stats.put(MetricNames.qualified(NAME, k), v));
            return new ChangedModel(result.model(), OperationKind.PRUNE, CompactArtifact.write(result.model()), stats,
                    Map.of("pruneMethod", spec.method().name().toLowerCase(java.util.Locale.ROOT)));
        });
    }
}
