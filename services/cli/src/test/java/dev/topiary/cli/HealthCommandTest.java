package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code topiary health} on the real broker: healthy with every stage running, lag counted, unhealthy without. */
class HealthCommandTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void healthyWhileStagesRunAndUnhealthyWhenOneStops(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("health").replace('-', '_');
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                pipeline: %1$s
                dataset: none
                stages:
                  - name: quick
                    uses: test-copy
                    from: %1$s.in
                    to: %1$s.mid
                  - name: slow
                    uses: test-copy
                    from: %1$s.slowin
                    to: %1$s.out
                    with: {sleepMs: 60000}
                """.formatted(p));
        PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.available().keySet());
        String[] health = {"health", "--bootstrap", kafka.bootstrap(), "--pipeline", file.toString()};

        try (ServiceHost host = new ServiceHost(set, ServiceKinds.available(), kafka, ArtifactOptions.DEFAULT, "h1")) {
            awaitExit(0, health);
            // quick passes its input on at once; then slow works on the first of two for a minute (holding
            // the process's model-work lease), so one is in hand and one waits: lag 2
            TextModels.publish(kafka, p + ".in", "accuracy=0.9");
            awaitOutput(s -> s.lines().anyMatch(l -> l.startsWith(p + "/quick") && l.contains(" 0  ok")), health);
            TextModels.publish(kafka, p + ".slowin", "accuracy=0.9");
            TextModels.publish(kafka, p + ".slowin", "accuracy=0.8");
            PipelinesValidateTest.Run r = awaitOutput(
                    s -> s.contains(p + "/slow") && s.lines().anyMatch(l -> l.startsWith(p + "/slow") && l.contains(" 2  ok")),
                    health);
            assertEquals(0, r.exit(), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(p + "/quick") && l.contains("1/1") && l.contains(" 0  ok")),
                    r.out());
            // lag can fail a check when asked to
            PipelinesValidateTest.Run strict = PipelinesValidateTest.run("health", "--bootstrap", kafka.bootstrap(),
                    "--pipeline", file.toString(), "--uses", "test-copy", "--max-lag", "1");
            assertEquals(1, strict.exit(), strict.out());
            assertTrue(strict.out().contains("lag 2 above 1"), strict.out());
        }
        // no instance: the stages are unassigned
        PipelinesValidateTest.Run down = awaitExit(1, health);
        assertTrue(down.out().contains("no instance running"), down.out());
        assertTrue(down.out().contains("reachable (1 broker)"), down.out());
    }

    @Test
    void anUnknownKindIsRefusedAnIdleOneSaidAndAMissingTopicNamed(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("idle").replace('-', '_');
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                pipeline: %1$s
                stages:
                  - name: copy
                    uses: test-copy
                    from: %1$s.in
                    to: %1$s.out
                  - name: fan
                    uses: test-copy
                    from: %1$s.out
                    to: %1$s.fanned
                    matrix: {sleepMs: [0, 1]}
                """.formatted(p));
        PipelinesValidateTest.Run typo = PipelinesValidateTest.run("health", "--bootstrap", kafka.bootstrap(), "--pipeline",
                file.toString(), "--uses", "tarin");
        assertEquals(1, typo.exit(), typo.out());
        assertTrue(typo.err().contains("--uses tarin: no such service kind (known: ") && typo.err().contains("train"), typo.err());

        PipelinesValidateTest.Run idle = PipelinesValidateTest.run("health", "--bootstrap", kafka.bootstrap(), "--pipeline",
                file.toString(), "--uses", "train");
        assertEquals(0, idle.exit(), idle.out() + idle.err());
        assertTrue(idle.out().contains("no stage of these pipelines uses train: only the broker is checked"), idle.out());

        PipelinesValidateTest.Run never = PipelinesValidateTest.run("health", "--bootstrap", kafka.bootstrap(), "--pipeline",
                file.toString(), "--uses", "test-copy");
        assertEquals(1, never.exit(), never.out());
        assertTrue(never.out().contains("input topic(s) " + p + ".in do not exist yet: has the stage ever started?"), never.out());
        assertTrue(never.out().contains(p + "/fan (matrix: inputs into jobs)") && never.out().contains(p + "/fan (matrix: jobs)"),
                "a matrix stage's two parts are told apart: " + never.out());
    }

    @Test
    void unreachableBrokerIsUnhealthyWithinTheTimeout() {
        long t0 = System.nanoTime();
        PipelinesValidateTest.Run r = PipelinesValidateTest.run("health", "--bootstrap", "127.0.0.1:1", "--timeout", "2");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("127.0.0.1:1: not reachable"), r.out());
        assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "answered within the timeout");
    }

    private static PipelinesValidateTest.Run awaitExit(int exit, String... args) throws InterruptedException {
        return awaitOutput(null, exit, args);
    }

    private static PipelinesValidateTest.Run awaitOutput(java.util.function.Predicate<String> done, String... args)
            throws InterruptedException {
        return awaitOutput(done, -1, args);
    }

    /** Members join and leave groups within seconds, not at once: ask again until the answer is the expected one. */
    private static PipelinesValidateTest.Run awaitOutput(java.util.function.Predicate<String> done, int exit, String... args)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            PipelinesValidateTest.Run r = PipelinesValidateTest.run(args);
            boolean ok = (exit < 0 || r.exit() == exit) && (done == null || done.test(r.out()));
            if (ok || System.currentTimeMillis() > deadline) {
                return r;
            }
            Thread.sleep(500);
        }
    }
}
