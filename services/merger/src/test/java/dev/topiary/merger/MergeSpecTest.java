package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.pipeline.PipelineException;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A merge stage's parameters are checked when the pipeline file is read, each problem at its line. */
class MergeSpecTest {

    @Test
    void badParametersAreReportedAtTheirLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, """
                pipeline: m
                stages:
                  - name: ties
                    uses: merge
                    from: a
                    to: b
                    with: {method: ties, density: 1.5}
                  - name: none
                    uses: merge
                    from: a
                    to: c
                    with: {lambda: 0.5}
                  - name: soup
                    uses: merge
                    from: a
                    to: d
                    with: {method: greedy-soup, dropRate: 0.3}
                  - name: typo
                    uses: merge
                    from: a
                    to: e
                    with: {method: avrage}
                  - name: merge
                    uses: merge
                    from: a
                    to: f
                    with: {method: neurons, similarity: 0.5}
                  - name: pairs
                    uses: merge
                    from: a
                    to: g
                    with: {method: neurons, compensation: pairs, samples: 100}
                  - name: inputs
                    uses: merge
                    from: a
                    to: h
                    with: {method: neurons, inputs: noise}
                  - name: shares
                    uses: merge
                    from: a
                    to: i
                    with: {method: neurons, fraction: {dense1: 0.3, dense2: 1.2}}
                """);
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineSet.load(List.of(file), ServiceKinds.catalog()));
        String m = e.getMessage();
        assertTrue(m.contains("m.yaml:7: stage 'ties': parameter 'density' must be a fraction in (0, 1], got '1.5'"), m);
        assertTrue(m.contains("m.yaml:12: stage 'none': parameter 'method' is required"), m);
        assertTrue(m.contains("m.yaml:17: stage 'soup': parameter 'dropRate' applies to method dare only"), m);
        assertTrue(m.contains("m.yaml:22: stage 'typo': parameter 'method' must be one of"), m);
        assertTrue(m.contains("m.yaml:27: stage 'merge': parameter 'similarity' applies with compensation: pairs only"), m);
        assertTrue(m.contains("m.yaml:32: stage 'pairs': parameter 'samples' applies with compensation: least-squares only"), m);
        assertTrue(m.contains("m.yaml:37: stage 'inputs': parameter 'inputs' must be one of [data, gaussian]"), m);
        assertTrue(m.contains("m.yaml:42: stage 'shares': parameter 'fraction' must be a fraction in (0, 1), or a mapping"), m);
    }

    @Test
    void neuronsMergeByLeastSquaresOnGaussianInputsUnlessToldOtherwise() {
        MergeSpec spec = MergeSpec.fromMap(Map.of("method", "neurons"));
        assertEquals(MergeSpec.UnitCompensation.LEAST_SQUARES, spec.compensation());
        assertEquals(MergeSpec.UnitInputs.GAUSSIAN, spec.inputs());
        assertEquals(0.3, spec.fraction().of("any layer"));
        MergeSpec pairs = MergeSpec.fromMap(Map.of("method", "neurons", "compensation", "pairs", "similarity", 0.8));
        assertEquals(MergeSpec.UnitCompensation.PAIRS, pairs.compensation());
        assertEquals(0.99, pairs.fraction().every(), "a threshold alone decides how many");
        MergeSpec shares = MergeSpec.fromMap(Map.of("method", "neurons", "fraction", Map.of("dense1", 0.5)));
        assertEquals(0.5, shares.fraction().of("dense1"));
        assertEquals(0, shares.fraction().of("dense2"), "a layer not named keeps its units");
    }

    @Test
    void lambdaIsANumberOrCandidatesAndDefaultsToASearch() {
        assertEquals(List.of(0.4), MergeSpec.fromMap(Map.of("method", "task-arithmetic", "lambda", 0.4)).lambdas());
        assertEquals(List.of(0.2, 0.6), MergeSpec.fromMap(Map.of("method", "dare", "lambda", List.of(0.2, 0.6))).lambdas());
        assertEquals(MergeSpec.DEFAULT_LAMBDAS, MergeSpec.fromMap(Map.of("method", "ties")).lambdas());
    }
}
