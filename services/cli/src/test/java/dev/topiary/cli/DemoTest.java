package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The main job, as {@code ./topiary demo} runs it: its own broker, the shipped demo pipeline, a closing table. */
class DemoTest {
    @Test
    void demoTrainsAndPrunesAndPrintsTheTable() {
        String pipeline = Path.of("../../pipelines/demo.yaml").toAbsolutePath().normalize().toString();
        PipelinesValidateTest.Run r = PipelinesValidateTest.run("demo", "--pipeline", pipeline);
        assertEquals(0, r.exit(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.contains("published new MLP 784-300-100-10"), out);
        String table = out.substring(out.lastIndexOf("version "));
        assertTrue(table.lines().anyMatch(l -> l.contains(" train ") && l.contains("TRAIN")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains(" prune ") && l.contains("PRUNE") && l.contains("nonzeros")
                && l.contains("fewer")), table);
    }
}
