package dev.topiary.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.train.LearningRateSchedule;
import dev.topiary.runtime.stage.StageParams;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The learning-rate schedule of a train stage: cosine unless the stage asks for a constant rate (soup ingredients). */
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
}
