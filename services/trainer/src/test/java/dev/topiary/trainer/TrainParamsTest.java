package dev.topiary.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.train.Augmentation;
import dev.topiary.nn.train.LearningRateSchedule;
import dev.topiary.runtime.stage.StageParams;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A train stage's settings read from its {@code with:} block: the schedule, the augmentation. */
class TrainParamsTest {

    @Test
    void theScheduleIsCosineUnlessConstantIsAsked() {
        assertEquals(LearningRateSchedule.COSINE, TrainParams.read(new StageParams("t", Map.of("epochs", 2))).schedule());
        assertEquals(LearningRateSchedule.CONSTANT,
                TrainParams.read(new StageParams("t", Map.of("schedule", "constant"))).schedule());
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TrainParams.read(new StageParams("t", Map.of("schedule", "step"))));
        assertTrue(e.getMessage().contains("'schedule' must be one of [constant, cosine]"), e.getMessage());
    }

    @Test
    void augmentIsOffUnlessAskedAndAMisspeltOneIsRefusedAtItsKey() {
        assertEquals(Augmentation.NONE, TrainParams.read(new StageParams("t", Map.of())).augmentation());
        assertEquals(new Augmentation(true, 2),
                TrainParams.read(new StageParams("t", Map.of("augment", "flip,shift:2"))).augmentation());
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TrainParams.read(new StageParams("t", Map.of("augment", "flip,rotate"))));
        assertTrue(e.getMessage().contains("'augment'") && e.getMessage().contains("'rotate'"), e.getMessage());
    }
}
