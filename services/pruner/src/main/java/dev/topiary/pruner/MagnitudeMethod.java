package dev.topiary.pruner;

import dev.topiary.pruner.schedule.PruningMethod;
import dev.topiary.pruner.unstructured.MagnitudePruner;
import dev.topiary.pruner.unstructured.PruningMask;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/** Magnitude pruning as a schedule step: prunes in place and keeps the mask on while fine-tuning. */
record MagnitudeMethod(MagnitudePruner.Scope scope, double sparsity, Map<String, Double> overrides)
        implements PruningMethod {

    @Override
    public Step prune(Model model, double progress) {
        Map<String, Double> scaled = new LinkedHashMap<>();
        overrides.forEach((k, v) -> scaled.put(k, v * progress));
        PruningMask mask = new MagnitudePruner(scope, sparsity * progress, scaled).prune(model);
        return new Step(model, mask::apply);
    }
}
