package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    @Test
    void eightArgumentsMeanCosineDecay() {
        TrainingConfig c = new TrainingConfig(3, 32, 0.01, "SGD", 0.9, 0, 1, 0);
        assertEquals(LearningRateSchedule.COSINE, c.schedule());
        assertEquals("sgd", c.updater());
        assertEquals(0.01, c.learningRateAt(0, 100), 1e-12);
        assertEquals(0.005, c.learningRateAt(50, 100), 1e-12);
        assertTrue(c.learningRateAt(99, 100) < 1e-5);
        assertEquals(0.01, c.withSchedule(LearningRateSchedule.CONSTANT).learningRateAt(99, 100), 0.0);
    }

    @Test
    void aSchedulePartIsItsEpochsOfTheLongerRun() {
        TrainingConfig run = TrainingConfig.defaults().withEpochs(5);
        TrainingConfig first = run.withEpochs(2).withSchedulePart(0, 5);
        TrainingConfig rest = run.withEpochs(3).withSchedulePart(2, 5);
        // 10 steps an epoch: the whole run has 50, the parts 20 and 30
        for (int step = 0; step < 20; step++) {
            assertEquals(run.learningRateAt(step, 50), first.learningRateAt(step, 20), 1e-15);
        }
        for (int step = 0; step < 30; step++) {
            assertEquals(run.learningRateAt(20 + step, 50), rest.learningRateAt(step, 30), 1e-15);
        }
        assertEquals(1e-3, run.withEpochs(3).learningRateAt(0, 30), 0.0, "a whole run starts at the peak");
        assertThrows(IllegalArgumentException.class, () -> run.withEpochs(4).withSchedulePart(2, 5));
        assertThrows(IllegalArgumentException.class, () -> run.withSchedulePart(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> run.withTargetAccuracy(1.5));
    }

    @Test
    void anAccuracyTargetIsCheckedAtEvenlySpacedBatchesEndingWithTheLast() {
        AccuracyTarget fourTimes = new AccuracyTarget(0.9, 4);
        List<Integer> checked = IntStream.range(0, 17).filter(b -> fourTimes.checkAfter(b, 17)).boxed().toList();
        assertEquals(List.of(4, 8, 12, 16), checked);
        assertEquals(List.of(0, 1, 2), IntStream.range(0, 3).filter(b -> fourTimes.checkAfter(b, 3)).boxed().toList(),
                "at most one check a batch");
        assertEquals(List.of(16), IntStream.range(0, 17).filter(b -> new AccuracyTarget(0.9, 1).checkAfter(b, 17)).boxed().toList());
        assertFalse(AccuracyTarget.NONE.checkAfter(16, 17));
        assertThrows(IllegalArgumentException.class, () -> new AccuracyTarget(0.9, 0));
    }

    @Test
    void refusesSettingsThatCannotWork() {
        TrainingConfig d = TrainingConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withEarlyStopping(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withUpdater("rmsprop", 0));
        assertThrows(IllegalArgumentException.class, () -> d.withUpdater("sgd", 1.0));
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(0));
        assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
    }
}
