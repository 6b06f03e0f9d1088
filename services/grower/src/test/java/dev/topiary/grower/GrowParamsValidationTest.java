package dev.topiary.grower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.pipeline.PipelineException;
import dev.topiary.runtime.pipeline.PipelineParser;
import dev.topiary.runtime.pipeline.Problem;
import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code pipelines validate} says about bad grow parameters: each at its FILE:LINE, naming the key. */
class GrowParamsValidationTest {

    @Test
    void badParametersAreRejectedAtTheirLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("grow.yaml");
        Files.writeString(file, """
                pipeline: grow-bad
                stages:
                  - name: a
                    uses: grow
                    from: x
                    to: y
                    with:
                      method: wider
                      factor: 0.5
                  - name: b
                    uses: grow
                    from: x
                    to: z
                    with: {method: deeper}
                  - name: c
                    uses: grow
                    from: x
                    to: w
                    with:
                      method: deeper
                      after: dense1
                      kernel: 4
                  - name: d
                    uses: grow
                    from: x
                    to: v
                    with:
                      method: wider
                      layers: {dense1: 600}
                      exact: false
                  - name: e
                    uses: grow
                    from: x
                    to: u
                    with: {method: taller}
                  - name: f
                    uses: grow
                    from: x
                    to: t
                    with: {method: wider}
                  - name: g
                    uses: grow
                    from: x
                    to: s
                    with: {method: blocks, after: [block1_relu], every: 2}
                  - name: h
                    uses: grow
                    from: x
                    to: r
                    with: {method: blocks, every: 1, othersRate: 0.1}
                  - name: i
                    uses: grow
                    from: x
                    to: q
                    with: {method: blocks, every: 1, trainOnly: new, othersRate: 1.5}
                  - name: j
                    uses: grow
                    from: x
                    to: p
                    with: {method: wider, factor: 2, init: sideways}
                  - name: k
                    uses: grow
                    from: x
                    to: o
                    with:
                      method: wider
                      factor: 2
                      init: fresh
                      noise: 0.01
                dataset: fashion-mnist
                """);
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineParser.parse(file, ServiceKinds.catalog()));
        List<String> problems = e.problems().stream().map(Problem::toString).toList();
        assertEquals(11, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith(file + ":9: stage 'a': parameter 'factor' must be a number above 1"), problems.get(0));
        assertTrue(problems.get(1).startsWith(file + ":14: stage 'b'") && problems.get(1).contains("'after'"), problems.get(1));
        assertTrue(problems.get(2).startsWith(file + ":22: stage 'c': parameter 'kernel' must be an odd kernel size"), problems.get(2));
        assertTrue(problems.get(3).startsWith(file + ":30: stage 'd'") && problems.get(3).contains("deeper only"), problems.get(3));
        assertTrue(problems.get(4).startsWith(file + ":35: stage 'e': parameter 'method' must be one of [blocks, deeper, duplicate, wider]"),
                problems.get(4));
        assertTrue(problems.get(5).startsWith(file + ":40: stage 'f'") && problems.get(5).contains("'layers'"), problems.get(5));
        assertTrue(problems.get(6).startsWith(file + ":45: stage 'g'") && problems.get(6).contains("not both"), problems.get(6));
        assertTrue(problems.get(7).startsWith(file + ":50: stage 'h': parameter 'othersRate'") && problems.get(7).contains("trainOnly: new"),
                problems.get(7));
        assertTrue(problems.get(8).startsWith(file + ":55: stage 'i': parameter 'othersRate' must be a share of the learning rate in [0, 1)"),
                problems.get(8));
        assertTrue(problems.get(9).startsWith(file + ":60: stage 'j': parameter 'init' must be one of [copy, fresh]"), problems.get(9));
        assertTrue(problems.get(10).startsWith(file + ":69: stage 'k': parameter 'noise'") && problems.get(10).contains("'init: copy' only"),
                problems.get(10));
    }
}
