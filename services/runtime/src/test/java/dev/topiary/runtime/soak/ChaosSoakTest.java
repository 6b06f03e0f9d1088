package dev.topiary.runtime.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos soak, short: 30 versions through three stages of two instances while two service
 * processes are SIGKILLed and the broker restarts once. Every version reaches the last topic
 * exactly once and nothing is dead-lettered. ({@code topiary soak} runs the 200-version one.)
 */
class ChaosSoakTest {
    @TempDir
    Path dir;

    @Test
    void everyVersionArrivesOnceThroughKillsAndABrokerRestart() throws Exception {
        SoakReport r = new ChaosSoak(new ChaosSoak.Plan(30, 2, 1, 16), dir, System.out).run();
        System.out.print("[ChaosSoakTest]\n" + r.describe());
        assertEquals(30, r.versionsIn());
        assertEquals(2, r.killsSurvived());
        assertEquals(1, r.brokerRestartsSurvived());
        assertEquals(0, r.losses(), r.describe());
        assertEquals(0, r.duplicates(), r.describe());
        assertEquals(0, r.deadLetters(), r.describe());
        assertEquals(30, r.versionsOut(), r.describe());
    }
}
