package dev.topiary.pruner.schedule;

import dev.topiary.runtime.stage.Cancellation;
import org.deeplearning4j.nn.api.Model;

/**
 * Runs a {@link PruningMethod} along a {@link Schedule}: prune to the step's share of the target,
 * fine-tune, repeat. With one step and no fine-tuning this is plain one-shot pruning.
 */
public final class GradualPruning {
    private final Schedule schedule;
    private final FineTuner fineTuner;
    private final int epochsPerStep;

    /** @param epochsPerStep fine-tuning epochs after each pruning step (0 for none) */
    public GradualPruning(Schedule schedule, FineTuner fineTuner, int epochsPerStep) {
        this.schedule = schedule;
        this.fineTuner = fineTuner;
        this.epochsPerStep = epochsPerStep;
    }

    public Model run(Model model, PruningMethod method) {
        for (int t = 1; t <= schedule.steps(); t++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Cancellation.JobCancelledException();
            }
            PruningMethod.Step step = method.prune(model, schedule.progress(t));
            model = step.model();
            if (epochsPerStep > 0) {
                fineTuner.fineTune(model, epochsPerStep, step.afterStep());
                step.afterStep().afterStep(model);
            }
        }
        return model;
    }
}
