package dev.topiary.nn.train;

import org.deeplearning4j.nn.api.Model;

/**
 * Runs after every parameter update, before the next batch: the place to re-apply pruning masks
 * so pruned weights stay exactly zero while the rest is fine-tuned. Changes the hook makes to
 * {@code model.params()} (in place) are what the next step starts from.
 */
@FunctionalInterface
public interface StepHook {
    /** A hook that does nothing. */
    StepHook NONE = model -> {};

    void afterStep(Model model);

    /**
     * What {@link Trainer} calls: the same, told where in the run the step was, so a hook can act
     * on a schedule (e.g. raise sparsity gradually while training). By default ignores the position.
     *
     * @param step the step just taken, 0-based
     * @param totalSteps the steps the run plans (early stopping may end it sooner)
     */
    default void afterStep(Model model, long step, long totalSteps) {
        afterStep(model);
    }

    /** This hook, then {@code next}, after every step (both told the step's position). */
    default StepHook andThen(StepHook next) {
        StepHook first = this;
        return new StepHook() {
            @Override
            public void afterStep(Model model) {
                first.afterStep(model);
                next.afterStep(model);
            }

            @Override
            public void afterStep(Model model, long step, long totalSteps) {
                first.afterStep(model, step, totalSteps);
                next.afterStep(model, step, totalSteps);
            }
        };
    }
}
