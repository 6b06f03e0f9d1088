package dev.topiary.cutter;

import dev.topiary.events.OperationKind;
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
 * The cut service ({@code uses: cut}): takes whole residual blocks or same-shape layers out of a
 * network, chosen by how little they change their input (angular distance, cosine) or by the
 * holdout loss of removing them, optionally bridging the gap with a fitted linear layer, then heals
 * it by fine-tuning. A model with nothing to cut, or a layer type it cannot handle, is refused with
 * the reason (a dead letter). The version records every candidate's score in its labels
 * ({@code cutScores}) beside what went ({@code cutRemoved}). With {@code dryRun: true} it publishes no
 * version: the scored report ({@link CutReport}) goes to the progress topic.
 */
public final class CutterService implements ModelServiceKind {
    public static final String NAME = "cut";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "cut whole residual blocks or same-shape layers (optionally bridged), then heal";
    }

    /** What {@link Cutting} measures: {@link CutResult#STATS}, published as {@code cut.<name>}. */
    @Override
    public Set<String> metrics() {
        return CutResult.STATS;
    }

    @Override
    public Transformation create(StageParams params) {
        CutSpec spec = CutSpec.from(params);
        if (spec.dryRun()) {
            return ModelStage.looking((model, data, input) -> CutReport.dryRun(model, spec, data));
        }
        return new ModelStage((model, data, input) -> {
            CutResult result = Cutting.apply(model, spec, data, new StageProgress(input, "healing"));
            Map<String, Double> stats = new TreeMap<>();
            result.stats().forEach((k, v) -> stats.put(MetricNames.qualified(NAME, k), v));
            return new ChangedModel(result.model(), OperationKind.CUT, null, stats, labels(spec, result));
        });
    }

    static Map<String, String> labels(CutSpec spec, CutResult result) {
        return Map.of("cutCriterion", spec.criterion().label(), "cutRemoved", String.join(",", result.removed()),
                "cutScores", CutReport.scores(result.scores()));
    }
}
