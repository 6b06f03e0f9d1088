package dev.topiary.pruner.schedule;

import dev.topiary.nn.train.StepHook;
import org.deeplearning4j.nn.api.Model;

/**
 * The step hook of the {@code GRADUAL} schedule: prunes while one training run goes on. The first
 * {@code pruneUntil} of the run's steps are cut into {@code schedule.steps()} equal slices; each
 * slice starts by pruning to the schedule's next level (the parent is already trained, so there is
 * nothing to wait for), and its steps recover from that small cut while the mask holds. The rest of
 * the run trains at full sparsity as the trainer's cosine schedule brings the learning rate to zero,
 * so the final weights settle under the final mask.
 *
 * <p>Needs a method that prunes in place (magnitude): the model cannot be swapped mid-run. When the
 * trainer does not report step positions (a plain {@link StepHook#afterStep(Model)} caller), or the
 * run ends early, {@link #finish} completes the schedule, so the target is always reached exactly.
 */
final class PruningDuringTraining implements StepHook {
    private final PruningMethod method;
    private final Schedule schedule;
    private final double pruneUntil;
    private int reached;
    private StepHook mask = StepHook.NONE;

    /** @param pruneUntil share of the run (0..1] by whose end the full target is reached */
    PruningDuringTraining(PruningMethod method, Schedule schedule, double pruneUntil) {
        if (!(pruneUntil > 0 && pruneUntil <= 1)) {
            throw new IllegalArgumentException("pruneUntil must be in (0, 1], got " + pruneUntil);
        }
        this.method = method;
        this.schedule = schedule;
        this.pruneUntil = pruneUntil;
    }

    @Override
    public void afterStep(Model model, long step, long totalSteps) {
        int n = schedule.steps();
        long ramp = Math.max(1, Math.round(pruneUntil * totalSteps));
        int due = step >= ramp ? n : (int) Math.min(n, step * n / ramp + 1);
        if (due > reached) {
            pruneTo(model, due);
        } else {
            mask.afterStep(model);
        }
    }

    /** Position unknown: keeps the current mask; {@link #finish} reaches the target. */
    @Override
    public void afterStep(Model model) {
        mask.afterStep(model);
    }

    /** After the run: prunes to the full target if the run did not get there, and applies the mask. */
    void finish(Model model) {
        if (reached < schedule.steps()) {
            pruneTo(model, schedule.steps());
        }
        mask.afterStep(model);
    }

    private void pruneTo(Model model, int step) {
        PruningMethod.Step s = method.prune(model, schedule.progress(step));
        if (s.model() != model) {
            throw new IllegalStateException("schedule gradual needs a method that prunes in place (magnitude)");
        }
        reached = step;
        mask = s.afterStep();
    }
}
