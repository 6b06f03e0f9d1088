package dev.topiary.grower;

import dev.topiary.events.OperationKind;
import dev.topiary.nn.stage.ChangedModel;
import dev.topiary.nn.stage.ModelServiceKind;
import dev.topiary.nn.stage.ModelStage;
import dev.topiary.nn.stage.StageProgress;
import dev.topiary.nn.train.TrainOnly;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.Transformation;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The grow service ({@code uses: grow}, operation GROW): makes a trained network wider
 * (Net2WiderNet), deeper (Net2DeeperNet) or longer by zero-started residual blocks without changing
 * what it computes, or repeats a range of its blocks (depth up-scaling, not exact), then, if asked,
 * trains it on with the shared trainer. With {@code trainOnly: new} the version is labelled
 * {@link dev.topiary.nn.train.TrainOnly#LABEL} so the next train stage trains only the new layers. Every grow raises the version's {@code generation} by one
 * (the runtime counts it), so a loop of train and grow can end on a route. A grow past
 * {@code maxParams} or {@code maxMacs} publishes its input unchanged with the label
 * {@value #LIMIT_LABEL} and {@code grow.limitReached = 1}: not bad input, so not a dead letter.
 */
public final class GrowerService implements ModelServiceKind {
    public static final String NAME = "grow";
    public static final String LIMIT_LABEL = "grow.limit";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "grow a network wider, deeper or by residual blocks keeping its function, or repeat blocks; then train on";
    }

    @Override
    public Set<String> metrics() {
        return GrowResult.STATS;
    }

    @Override
    public Transformation create(StageParams params) {
        GrowSpec spec = GrowSpec.from(params);
        return new ModelStage((model, data, input) -> {
            GrowResult result = Growing.apply(model, spec, data, new StageProgress(input, "training on"));
            Map<String, Double> stats = new TreeMap<>();
            result.stats().forEach((k, v) -> stats.put(MetricNames.qualified(NAME, k), v));
            Map<String, String> labels = new TreeMap<>();
            labels.put("growMethod", spec.method().name().toLowerCase(Locale.ROOT));
            if (result.limit() != null) {
                labels.put(LIMIT_LABEL, result.limit());
            } else if (spec.trainOnlyNew()) {
                labels.putAll(TrainOnly.labels(result.added(), spec.othersRate())); // the next train stage trains these (others held)
            }
            return new ChangedModel(result.model(), OperationKind.GROW, null, stats, labels);
        });
    }
}
