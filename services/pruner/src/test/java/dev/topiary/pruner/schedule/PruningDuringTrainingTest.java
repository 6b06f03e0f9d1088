package dev.topiary.pruner.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.train.StepHook;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;

/** The gradual schedule's timing: when, inside one run, each cut happens and how deep it goes. */
class PruningDuringTrainingTest {

    @Test
    void cutsFollowTheCubicScheduleAndEndAtPruneUntil() {
        Recorder method = new Recorder();
        PruningDuringTraining hook = new PruningDuringTraining(method, Schedule.gradual(5), 0.5);
        for (long step = 0; step < 100; step++) {
            method.now = step;
            hook.afterStep(null, step, 100);
        }
        hook.finish(null);
        // 50 ramp steps in 5 slices of 10: each slice opens with the next level
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), method.steps);
        for (int t = 1; t <= 5; t++) {
            assertEquals(Schedule.gradual(5).progress(t), method.progress.get(t - 1), 1e-12);
        }
        assertEquals(95 + 1, method.maskApplied, "the mask is applied after every other step and at the end");
    }

    @Test
    void moreStepsThanTrainingStepsCollapseButReachTheTarget() {
        Recorder method = new Recorder();
        PruningDuringTraining hook = new PruningDuringTraining(method, Schedule.gradual(30), 0.6);
        for (long step = 0; step < 4; step++) {
            hook.afterStep(null, step, 4);
        }
        hook.finish(null);
        assertEquals(1.0, method.progress.get(method.progress.size() - 1));
        assertTrue(method.progress.size() <= 4, method.progress.toString());
    }

    @Test
    void finishReachesTheTargetWhenPositionsAreUnknown() {
        Recorder method = new Recorder();
        PruningDuringTraining hook = new PruningDuringTraining(method, Schedule.gradual(10), 0.6);
        hook.afterStep(null); // a fine-tuner that does not report positions
        hook.finish(null);
        assertEquals(List.of(1.0), method.progress);
    }

    @Test
    void aMethodThatReplacesTheModelIsRefused() {
        Model rebuilt = (Model) java.lang.reflect.Proxy.newProxyInstance(Model.class.getClassLoader(),
                new Class<?>[] {Model.class}, (proxy, m, args) -> null);
        PruningMethod rebuilding = (model, progress) -> new PruningMethod.Step(rebuilt, StepHook.NONE);
        PruningDuringTraining hook = new PruningDuringTraining(rebuilding, Schedule.gradual(3), 0.6);
        assertThrows(IllegalStateException.class, () -> hook.afterStep(null, 0, 10));
    }

    /** Records when it is asked to prune and how often its mask is applied; prunes nothing. */
    private static final class Recorder implements PruningMethod {
        final List<Long> steps = new ArrayList<>();
        final List<Double> progress = new ArrayList<>();
        int maskApplied;
        long now;

        @Override
        public Step prune(Model model, double p) {
            steps.add(now);
            progress.add(p);
            return new Step(model, m -> maskApplied++);
        }
    }
}
