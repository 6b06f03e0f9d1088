package dev.topiary.pruner.schedule;

import dev.topiary.nn.train.StepHook;
import org.deeplearning4j.nn.api.Model;

/**
 * Trains a pruned model for a while so it recovers accuracy between pruning steps. A seam rather
 * than a direct call to the shared trainer so tests can fine-tune cheaply and the pruning schedule
 * does not depend on how training is done ({@link TrainerFineTuner} is the real one).
 */
@FunctionalInterface
public interface FineTuner {
    FineTuner NONE = (model, epochs, afterStep) -> {};

    /**
     * Trains {@code model} in place for {@code epochs} epochs, calling {@code afterStep} after every
     * parameter update (to re-apply a pruning mask).
     */
    void fineTune(Model model, int epochs, StepHook afterStep);
}
