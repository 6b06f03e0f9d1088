package dev.topiary.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.StageParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parser runs each stage kind's own parameter check and knows each kind's own metrics: a bad
 * value, an unknown key and a route on a metric the stage never publishes fail at their lines.
 */
class KindChecksTest {
    /** A kind like prune: one fraction parameter, a nested per-layer map, and a metric of its own. */
    private static final KindCatalog CATALOG = new KindCatalog() {
        @Override
        public Set<String> names() {
            return Set.of("shrink", "test-copy");
        }

        @Override
        public Set<String> metricsOf(String kind) {
            return kind.equals("shrink") ? Set.of("shrink.weightSparsity") : Set.of();
        }

        @Override
        public void checkParams(String kind, String stage, Map<String, Object> with) {
            StageParams p = new StageParams(stage, with);
            if (kind.equals("shrink")) {
                p.requireOnly(Set.of("sparsity", "layers"));
                double s = p.getDouble("sparsity", 0.5);
                if (s > 1) {
                    throw p.bad("sparsity", "a fraction in [0, 1]", s);
                }
                p.getMap("layers").forEach((layer, v) -> {
                    if (((Number) v).doubleValue() > 1) {
                        throw p.bad("layers." + layer, "a fraction in [0, 1]", v);
                    }
                });
            } else {
                ServiceKinds.catalog().checkParams(kind, stage, with);
            }
        }
    };

    private static Path write(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> problems(Path file) {
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineParser.parse(file, CATALOG));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aBadValueAndAnUnknownKeyFailAtTheirLines(@TempDir Path dir) throws Exception {
        Path file = write(dir, """
                pipeline: p
                stages:
                  - name: a
                    uses: shrink
                    from: x
                    to: y
                    with:
                      sparsity: 1.5
                  - name: b
                    uses: shrink
                    from: x
                    to: z
                    with:
                      sparsity: 0.5
                      sparsityy: 0.6
                  - name: c
                    uses: shrink
                    from: x
                    to: w
                    with:
                      layers:
                        dense1: 0.5
                        dense2: 3
                  - name: d
                    uses: test-copy
                    from: x
                    to: v
                    with: {sleepMs: soon}
                """);
        List<String> problems = problems(file);
        assertEquals(4, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith(file + ":8: stage 'a': parameter 'sparsity' must be a fraction"), problems.get(0));
        assertTrue(problems.get(1).startsWith(file + ":15: stage 'b': unknown parameter 'sparsityy'"), problems.get(1));
        assertTrue(problems.get(2).startsWith(file + ":23: stage 'c': parameter 'layers.dense2'"), problems.get(2));
        assertTrue(problems.get(3).startsWith(file + ":28: stage 'd': parameter 'sleepMs' must be a number"), problems.get(3));
    }

    @Test
    void routesMayNameTheirKindsOwnMetricsOnly(@TempDir Path dir) throws Exception {
        Path good = write(dir, """
                pipeline: p
                stages:
                  - name: a
                    uses: shrink
                    from: x
                    to: y
                    routes:
                      - when: shrink.weightSparsity < 0.5 or accuracy < bestParentAccuracy
                        to: z
                """);
        StageSpec a = PipelineParser.parse(good, CATALOG).stages().get(0);
        assertEquals("z", Router.destination(a, Map.of("shrink.weightSparsity", 0.4), Map.of()));
        assertEquals("y", Router.destination(a, Map.of("shrink.weightSparsity", 0.6), Map.of()));

        Path wrongKind = write(dir, """
                pipeline: p
                stages:
                  - name: a
                    uses: test-copy
                    from: x
                    to: y
                    routes:
                      - when: shrink.weightSparsity < 0.5
                        to: z
                """);
        List<String> problems = problems(wrongKind);
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith(wrongKind + ":8: cannot parse when") && problems.get(0)
                .contains("unknown metric 'shrink.weightSparsity'"), problems.get(0));
    }
}
