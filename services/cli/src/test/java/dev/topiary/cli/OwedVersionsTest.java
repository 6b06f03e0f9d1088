package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the demo waits for, from a pipeline's wiring and the versions that arrived: one turn round a
 * loop that a route ends, a matrix's jobs, a gathered set, a route out of the pipeline.
 */
class OwedVersionsTest {
    static {
        Events.MODEL_VERSION.getClass(); // loading Events tells Avro to trust the event classes the builders below use
    }

    private static final String YAML = """
            pipeline: p
            stages:
              - name: train
                uses: train
                from: [s.new, s.grown]
                to: s.done
                routes:
                  - when: generation < 1
                    to: s.trained
              - name: grow
                uses: grow
                from: s.trained
                to: s.grown
              - name: tune
                uses: train
                from: m.trained
                to: m.tuned
                matrix: {seed: [1, 2, 3]}
              - name: soup
                uses: merge
                from: m.tuned
                to: m.souped
                gather: {by: parent, count: 3}
              - name: prune
                uses: prune
                from: m.souped
                to: m.pruned
                routes:
                  - when: accuracyDrop > 0.02
                    to: m.rejected
            """;

    @Test
    void aLoopTurnAMatrixASetAndARouteOut(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("p.yaml"), YAML);
        Pipeline p = PipelineParser.parse(file, Set.of("train", "grow", "merge", "prune"));
        assertEquals(List.of("s.new", "m.trained"), List.copyOf(DemoModels.entryTopics(p)));

        OwedVersions owed = new OwedVersions(p);
        owed.arrived(v("r", "", List.of()), "s.new");
        assertFalse(owed.settled());
        owed.arrived(v("t1", "train", List.of("r")), "s.trained");
        assertEquals(List.of("grow (0 of 1)"), owed.waitingFor(), "the route went round the loop");
        owed.arrived(v("g1", "grow", List.of("t1")), "s.grown");
        assertEquals(List.of("train (1 of 2)"), owed.waitingFor());
        owed.arrived(v("t2", "train", List.of("g1")), "s.done");
        assertTrue(owed.settled(), "the loop ended on train's own topic");

        owed.arrived(v("m", "", List.of()), "m.trained");
        assertEquals(List.of("tune (0 of 3)"), owed.waitingFor());
        owed.arrived(v("f1", "tune", List.of("m")), "m.tuned");
        owed.arrived(v("f2", "tune", List.of("m")), "m.tuned");
        owed.arrived(v("f2", "tune", List.of("m")), "m.tuned");
        assertEquals(List.of("tune (2 of 3)"), owed.waitingFor(), "a set is owed only once it is complete; a version counts once");
        owed.arrived(v("f3", "tune", List.of("m")), "m.tuned");
        assertEquals(List.of("soup (0 of 1)"), owed.waitingFor());
        owed.arrived(v("s", "soup", List.of("f1", "f2", "f3")), "m.souped");
        ModelVersion rejected = measured(v("x", "prune", List.of("s")), Map.of("accuracy", 0.80), Map.of("accuracy", -0.05));
        owed.arrived(rejected, "m.rejected");
        assertTrue(owed.settled());
        assertEquals(10, owed.seen());

        assertEquals("accuracyDrop > 0.02",
                new DemoResult.Arrival(rejected, "m.rejected").routeTaken(p).orElseThrow().when().toString());
        assertTrue(new DemoResult.Arrival(v("t1", "train", List.of("r")), "s.trained").routeTaken(p).isEmpty(),
                "a route round a loop does not send a version out of the pipeline");
        assertTrue(new DemoResult.Arrival(v("t2", "train", List.of("g1")), "s.done").routeTaken(p).isEmpty());
    }

    @Test
    void whereTwoRoutesLeadOutToOneTopicTheOneThatMatchedIsNamed(@TempDir Path dir) throws Exception {
        Pipeline p = PipelineParser.parse(Files.writeString(dir.resolve("loop.yaml"), """
                pipeline: p
                stages:
                  - name: train
                    uses: train
                    from: [l.new, l.grown]
                    to: l.growing
                    routes:
                      - when: accuracy >= 0.89
                        to: l.done
                      - when: generation >= 4
                        to: l.done
                  - name: grow
                    uses: grow
                    from: l.growing
                    to: l.grown
                """), Set.of("train", "grow"));
        ModelVersion lastTurn = measured(v("t4", "train", List.of("g4")), Map.of("accuracy", 0.8741, "generation", 4.0), Map.of());
        assertEquals("generation >= 4", new DemoResult.Arrival(lastTurn, "l.done").routeTaken(p).orElseThrow().when().toString());
        ModelVersion goodEnough = measured(v("t2", "train", List.of("g2")), Map.of("accuracy", 0.8912, "generation", 2.0), Map.of());
        assertEquals("accuracy >= 0.89", new DemoResult.Arrival(goodEnough, "l.done").routeTaken(p).orElseThrow().when().toString());
    }

    @Test
    void everyEntryTopicNeedsAModel(@TempDir Path dir) throws Exception {
        Pipeline p = PipelineParser.parse(Files.writeString(dir.resolve("p.yaml"), YAML), Set.of("train", "grow", "merge", "prune"));
        UserError missing = assertThrows(UserError.class, () -> DemoModels.forPipeline(p, Map.of("s.new", "mlp")));
        assertTrue(missing.getMessage().contains("starts at m.trained, which needs a model: --model m.trained="), missing.getMessage());
        UserError stray = assertThrows(UserError.class, () -> DemoModels.forPipeline(p, Map.of("s.done", "mlp")));
        assertTrue(stray.getMessage().contains("does not start at s.done (its entry topics: s.new, m.trained)"), stray.getMessage());
        assertEquals(Map.of("s.new", "mlp", "m.trained", "cnn"), DemoModels.forPipeline(p, Map.of("s.new", "mlp", "m.trained", "cnn")));
    }

    /** {@code version} with these metrics and changes against its parent. */
    private static ModelVersion measured(ModelVersion version, Map<String, Double> metrics, Map<String, Double> changes) {
        return ModelVersion.newBuilder(version).setMetrics(new Metrics(null, metrics)).setChanges(changes).build();
    }

    private static ModelVersion v(String id, String stage, List<String> parents) {
        return ModelVersion.newBuilder().setId(id).setParents(parents).setLineage("r").setPipeline(stage.isEmpty() ? "" : "p")
                .setStage(stage).setOperation(new Operation(OperationKind.NEW, Map.of()))
                .setArtifact(new ArtifactRef("file:///x", "00", 0L, ModelFormat.OPAQUE))
                .setMetrics(new Metrics(null, Map.of())).setCreatedAt(Instant.EPOCH).setProducer(new Producer("test", "0")).build();
    }
}
