package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void refusesSettingsThatCannotWork() {
        TrainingConfig d = TrainingConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withEarlyStopping(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withUpdater("rmsprop", 0));
        assertThrows(IllegalArgumentException.class, () -> d.withUpdater("sgd", 1.0));
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(0));
        assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
    }
}
