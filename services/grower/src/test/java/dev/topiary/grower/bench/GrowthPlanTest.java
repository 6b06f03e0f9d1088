package dev.topiary.grower.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topiary.grower.wider.Widening;
import dev.topiary.nn.train.SchedulePart;
import dev.topiary.nn.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** A growth path's parts share one cosine over every planned epoch, whether it starts at half or at quarter size. */
class GrowthPlanTest {
    private static final TrainingConfig FIT = TrainingConfig.defaults();

    @Test
    void aPathFromHalfSizeSplitsItsCosineAtTheGrow() {
        ComputeSavedBench.GrowthPlan plan = new ComputeSavedBench.GrowthPlan(0, 11, 1, Widening.Init.COPY, 0.01, true, 4);
        assertEquals(12, plan.plannedEpochs());
        assertEquals(new SchedulePart(0, 12), plan.part(FIT.withEpochs(11), 0).schedulePart());
        assertEquals(new SchedulePart(11, 12), plan.part(FIT.withEpochs(1), 11).schedulePart());
        assertEquals("k=11 m<=1, wider x2 noise 0.01, schedule continued, 4 holdout check(s)/epoch", plan.describe(GrowthFamily.MLP));
    }

    @Test
    void aProgressivePathHasThreePartsOfOneCosineAndARestartedOneNone() {
        ComputeSavedBench.GrowthPlan plan = new ComputeSavedBench.GrowthPlan(15, 5, 1, Widening.Init.COPY, 0.01, true, 4);
        assertEquals(new SchedulePart(0, 21), plan.part(FIT.withEpochs(15), 0).schedulePart());
        assertEquals(new SchedulePart(15, 21), plan.part(FIT.withEpochs(5), 15).schedulePart());
        assertEquals(new SchedulePart(20, 21), plan.part(FIT.withEpochs(1), 20).schedulePart());
        assertEquals("q=15 k=5 m<=1, wider x2 noise 0.01, schedule continued, 4 holdout check(s)/epoch", plan.describe(GrowthFamily.MLP));

        ComputeSavedBench.GrowthPlan restarted = new ComputeSavedBench.GrowthPlan(15, 5, 1, Widening.Init.COPY, 0.01, false, 4);
        assertEquals(SchedulePart.WHOLE, restarted.part(FIT.withEpochs(5), 15).schedulePart(), "each part its own cosine");
    }
}
