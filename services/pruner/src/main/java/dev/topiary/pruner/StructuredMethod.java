package dev.topiary.pruner;

import dev.topiary.nn.train.StepHook;
import dev.topiary.pruner.schedule.PruningMethod;
import dev.topiary.pruner.selection.Baseline;
import dev.topiary.pruner.selection.StructuredPruner;
import dev.topiary.pruner.selection.StructuredTarget;
import org.deeplearning4j.nn.api.Model;

/** Structured pruning as a schedule step: each step rebuilds a smaller network; nothing to mask after. */
record StructuredMethod(StructuredPruner pruner, StructuredTarget target, Baseline baseline) implements PruningMethod {

    @Override
    public Step prune(Model model, double progress) {
        return new Step(pruner.prune(model, target.at(progress), baseline), StepHook.NONE);
    }
}
