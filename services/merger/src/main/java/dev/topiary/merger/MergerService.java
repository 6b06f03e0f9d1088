package dev.topiary.merger;

import dev.topiary.events.OperationKind;
import dev.topiary.nn.stage.ChangedModel;
import dev.topiary.nn.stage.ModelServiceKind;
import dev.topiary.nn.stage.ModelStage;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.stage.StageInput;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.Transformation;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The merge service ({@code uses: merge}): fuses layers inside one model (BatchNormalization
 * folded into the layer before it, consecutive linear layers multiplied into one: the same
 * function with fewer layers), or merges the members of a gathered set into one model (uniform or
 * weighted average, greedy soup, task arithmetic, TIES, DARE, or weight-matching alignment before
 * averaging). Every choice is made on the data set's holdout; the merged version lists every member
 * as a parent, so the runner gives it {@code bestParentAccuracy} and {@code meanParentAccuracy}.
 * Members of different architectures are refused naming the first layer that differs.
 */
public final class MergerService implements ModelServiceKind {
    public static final String NAME = "merge";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "fold and fuse layers, or merge a gathered set of models (soups, task vectors, alignment)";
    }

    /** What {@link Merging} measures: {@link MergeResult#STATS}, published as {@code merge.<name>}. */
    @Override
    public Set<String> metrics() {
        return MergeResult.STATS;
    }

    @Override
    public Transformation create(StageParams params) {
        MergeSpec spec = MergeSpec.from(params);
        return ModelStage.ofSets((models, data, input) -> {
            List<Network> nets = models.stream().map(Network::of).toList();
            List<Member> versions = input.parents().stream().map(p -> Member.of(p.version())).toList();
            MergeResult result = Merging.apply(nets, versions, data, spec);
            Map<String, Double> stats = new TreeMap<>();
            result.stats().forEach((k, v) -> stats.put(MetricNames.qualified(NAME, k), v));
            return new ChangedModel(result.network().model(), OperationKind.MERGE, null, stats,
                    Map.of("mergeMethod", spec.method().key()));
        });
    }
}
