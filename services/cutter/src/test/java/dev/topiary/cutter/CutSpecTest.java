package dev.topiary.cutter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.pipeline.PipelineException;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.Problem;
import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cut parameters: defaults, each refusal by key, and {@code pipelines validate}'s FILE:LINE for them. */
class CutSpecTest {

    @Test
    void defaults() {
        CutSpec s = CutSpec.fromMap(Map.of("blocks", 2));
        assertEquals(Criterion.LOSS, s.criterion());
        assertEquals(1, s.finetuneEpochs());
        assertEquals(2, s.upTo(8));
        assertEquals(3, CutSpec.fromMap(Map.of("fraction", 0.375)).upTo(8));
        assertTrue(CutSpec.fromMap(Map.of("blocks", 2, "bridge", "linear")).oneRun());
        assertEquals(CutSpec.DEFAULT_BRIDGE_SAMPLES, CutSpec.fromMap(Map.of("blocks", 2, "bridge", "linear")).bridgeSamples());
        CutSpec look = CutSpec.fromMap(Map.of("blocks", 2, "dryRun", true, "finetuneEpochs", 3, "distill", 0.5)).forDryRun();
        assertTrue(look.dryRun());
        assertEquals(0, look.finetuneEpochs(), "a dry run does not heal");
        assertEquals(0.0, look.distill());
        assertEquals(2, CutSpec.fromMap(Map.of("maxAccuracyDrop", 0.01, "dryRun", true, "finetuneEpochs", 2)).forDryRun()
                .finetuneEpochs(), "a budget search heals its probes even on a dry run");
    }

    @Test
    void badValuesNameTheirKey() {
        assertRefused(Map.of("blocks", -1), "parameter 'blocks' must be at least 1, got '-1'");
        assertRefused(Map.of("blocks", 1, "criterion", "random"), "criterion");
        assertRefused(Map.of("blocks", 1, "bridgeRank", 4), "'bridgeRank' applies to bridge: linear only");
        assertRefused(Map.of("blocks", 1, "bridgeSamples", 4096), "'bridgeSamples' applies to bridge: linear only");
        assertRefused(Map.of("blocks", 1, "bridge", "linear", "bridgeSamples", 1), "'bridgeSamples' must be at least 2");
        assertRefused(Map.of("blocks", 1, "dryRun", "maybe"), "dryRun");
        assertRefused(Map.of("blocks", 1, "distill", 0.5, "finetuneEpochs", 0), "'distill' needs healing");
        assertEquals(0.5, CutSpec.fromMap(Map.of("blocks", 1, "distill", 0.5, "finetuneEpochs", 0, "refitHead", true)).distill(),
                "a head refit alone fits the soft targets too");
        assertRefused(Map.of("blocks", 1, "refitHead", "yes"), "refitHead");
        assertRefused(Map.of("blocks", 1, "span", 2), "give 'span' or 'blocks'");
        assertRefused(Map.of("criterion", "loss"), "cut needs an amount");
        assertRefused(Map.of("keepMacs", 0.5, "blocks", 2), "'keepMacs' is an amount of its own");
        assertRefused(Map.of("keepMacs", 0), "'keepMacs' must be a fraction in (0, 1]");
        assertRefused(Map.of("blocks", 1, "blokcs", 2), "unknown parameter 'blokcs'");
    }

    @Test
    void pipelinesValidateNamesTheLineOfABadCutParameter(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cut.yaml");
        Files.writeString(file, """
                pipeline: cuts
                dataset: fashion-mnist
                stages:
                  - name: shorter
                    uses: cut
                    from: models.trained
                    to: models.cut
                    with:
                      criterion: angular
                      blocks: -1
                  - name: odd
                    uses: cut
                    from: models.trained
                    to: models.odd
                    with: {criterion: random, blocks: 2}
                    routes:
                      - when: cut.holdoutAccuracyAfter > 0.8
                        to: models.good
                """);
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineSet.load(List.of(file), ServiceKinds.catalog()));
        List<String> problems = e.problems().stream().map(Problem::toString).toList();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(file + ":10:") && p.contains("'blocks' must be at least 1")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(file + ":15:") && p.contains("criterion")), problems.toString());
        assertEquals(2, problems.size(), "the route on cut's own metric is valid: " + problems);
    }

    private static void assertRefused(Map<String, Object> params, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CutSpec.fromMap(params));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
