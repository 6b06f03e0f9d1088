package dev.topiary.pruner.schedule;

import dev.topiary.nn.recovery.FineTuner;
import dev.topiary.runtime.stage.Cancellation;
import org.deeplearning4j.nn.api.Model;

/**
 * Runs a {@link PruningMethod} along a {@link Schedule}: prune to the step's share of the target,
 * fine-tune, repeat. With one step and no fine-tuning this is plain one-shot pruning. The
 * {@code GRADUAL} schedule instead prunes inside a single fine-tuning run
 * ({@link PruningDuringTraining}).
 */
public final class GradualPruning {
    private final Schedule schedule;
    private final FineTuner fineTuner;
    private final int epochs;
    private final double pruneUntil;

    /**
     * @param epochs fine-tuning epochs after each pruning step (0 for none); with {@code GRADUAL},
     *        the epochs of its one run
     * @param pruneUntil {@code GRADUAL} only: share of the run by whose end the target is reached
     */
    public GradualPruning(Schedule schedule, FineTuner fineTuner, int epochs, double pruneUntil) {
        this.schedule = schedule;
        this.fineTuner = fineTuner;
        this.epochs = epochs;
        this.pruneUntil = pruneUntil;
    }

    public Model run(Model model, PruningMethod method) {
        if (schedule.kind() == Schedule.Kind.GRADUAL) {
            PruningDuringTraining hook = new PruningDuringTraining(method, schedule, pruneUntil);
            if (epochs > 0) {
                fineTuner.fineTune(model, epochs, hook);
            }
            hook.finish(model);
            return model;
        }
        for (int t = 1; t <= schedule.steps(); t++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Cancellation.JobCancelledException();
            }
            PruningMethod.Step step = method.prune(model, schedule.progress(t));
            model = step.model();
            if (epochs > 0) {
                fineTuner.fineTune(model, epochs, step.afterStep());
                step.afterStep().afterStep(model);
            }
        }
        return model;
    }
}
