package dev.topiary.pruner.schedule;

import dev.topiary.nn.train.StepHook;
import org.deeplearning4j.nn.api.Model;

/**
 * One way of pruning (magnitude or structured) reduced to what a schedule needs: prune a model to
 * a given share of the final target, and say what must run after each fine-tuning step.
 */
@FunctionalInterface
public interface PruningMethod {

    /**
     * Prunes {@code model} to {@code progress} (0..1) of the final target.
     *
     * @return the pruned model (the same instance for in-place methods) and its after-step action
     */
    Step prune(Model model, double progress);

    /** @param afterStep run after every optimizer step while fine-tuning, e.g. re-applying a mask */
    record Step(Model model, StepHook afterStep) {
    }
}
