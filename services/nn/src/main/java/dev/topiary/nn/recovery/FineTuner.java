package dev.topiary.nn.recovery;

import dev.topiary.nn.train.StepHook;
import org.deeplearning4j.nn.api.Model;

/**
 * Trains a changed model (pruned, cut, merged, grown) for a while so it recovers accuracy. A seam
 * rather than a direct call to the shared trainer so tests can fine-tune cheaply and a schedule does
 * not depend on how training is done ({@link TrainerFineTuner} is the real one, shared by every
 * service so they all recover the same way).
 */
@FunctionalInterface
public interface FineTuner {
    FineTuner NONE = (model, epochs, afterStep) -> {};

    /**
     * Trains {@code model} in place for {@code epochs} epochs, calling {@code afterStep} after every
     * parameter update (to re-apply a pruning mask, or hold frozen layers).
     */
    void fineTune(Model model, int epochs, StepHook afterStep);
}
