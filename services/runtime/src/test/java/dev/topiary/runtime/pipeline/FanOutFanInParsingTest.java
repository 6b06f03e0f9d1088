package dev.topiary.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code matrix} and {@code gather} as pipeline files write them: combinations made as GitHub
 * Actions makes them, and every mistake (a value that is not a list, a key the kind does not know,
 * a wrong value, too many jobs, an unknown {@code by}, {@code min} over {@code count}, a
 * {@code within} that is not a time) reported at its line.
 */
class FanOutFanInParsingTest {
    private static Path write(Path dir, String stageBody) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                pipeline: p
                stages:
                  - name: s
                    uses: test-copy
                    from: in
                    to: out
                """ + stageBody);
        return file;
    }

    private static StageSpec stage(Path file) throws Exception {
        return PipelineParser.parse(file, ServiceKinds.catalog()).stages().get(0);
    }

    private static List<String> problems(Path file) {
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineParser.parse(file, ServiceKinds.catalog()));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void combinationsAreTheProductLessExcludesWithIncludesAddedOrExtending(@TempDir Path dir) throws Exception {
        StageSpec s = stage(write(dir, """
                    with: {sleepMs: 0}
                    matrix:
                      tag: [a, b, c]
                      sleepMs: [0, 5]
                      exclude:
                        - {tag: c, sleepMs: 5}
                      include:
                        - {tag: a, failOn: zzz}
                        - {tag: d}
                """));
        assertEquals(List.of(
                Map.of("tag", "a", "sleepMs", 0, "failOn", "zzz"),
                Map.of("tag", "a", "sleepMs", 5, "failOn", "zzz"),
                Map.of("tag", "b", "sleepMs", 0),
                Map.of("tag", "b", "sleepMs", 5),
                Map.of("tag", "c", "sleepMs", 0),
                Map.of("tag", "d")), s.matrix().combinations());
        assertEquals(Matrix.DEFAULT_MAX_JOBS, s.matrix().maxJobs());
        assertEquals(Map.of("tag", "d", "sleepMs", 0), Matrix.paramsFor(s.with(), s.matrix().combinations().get(5)),
                "a combination's values override with's, the rest stay");
    }

    @Test
    void matrixMistakesFailAtTheirLines(@TempDir Path dir) throws Exception {
        List<String> notAList = problems(write(dir, """
                    matrix:
                      tag: a
                """));
        assertEquals(1, notAList.size(), notAList.toString());
        assertTrue(notAList.get(0).startsWith(dir.resolve("p.yaml") + ":8: matrix axis 'tag' in stage 's' must be a non-empty list"),
                notAList.toString());

        List<String> unknownKey = problems(write(dir, """
                    matrix:
                      tag: [a, b]
                      seeed: [1, 2]
                """));
        assertEquals(1, unknownKey.size(), "reported once, not once per combination: " + unknownKey);
        assertTrue(unknownKey.get(0).contains(":9: in the matrix: stage 's': unknown parameter 'seeed'"), unknownKey.toString());

        List<String> badValue = problems(write(dir, """
                    matrix:
                      sleepMs: [10, soon]
                """));
        assertTrue(badValue.get(0).contains(":8: in the matrix: stage 's': parameter 'sleepMs' must be a number, got 'soon'"),
                badValue.toString());

        List<String> tooMany = problems(write(dir, """
                    matrix:
                      tag: [a, b, c]
                      sleepMs: [1, 2]
                      maxJobs: 5
                """));
        assertTrue(tooMany.get(0).contains(":7: stage 's': the matrix makes 6 combinations, more than maxJobs 5"),
                tooMany.toString());
    }

    @Test
    void gatherIsReadWithItsDefaults(@TempDir Path dir) throws Exception {
        Gather g = stage(write(dir, """
                    gather: {by: "label:team", count: 5, within: 1h30m}
                """)).gather();
        assertEquals(new Gather(new GroupBy(GroupBy.Kind.LABEL, "team"), 5, Duration.ofMinutes(90), 5), g,
                "min is count unless set");
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    }

    @Test
    void gatherMistakesFailAtTheirLines(@TempDir Path dir) throws Exception {
        List<String> all = problems(write(dir, """
                    gather:
                      by: sibling
                      count: 0
                      within: soon
                      colour: red
                """));
        assertEquals(4, all.size(), all.toString());
        assertTrue(all.get(0).contains(":8: stage 's': gather by must be parent, lineage or label:NAME, not 'sibling'"), all.toString());
        assertTrue(all.get(1).contains(":9: 'gather.count' in stage 's' must be a whole number of at least 1"), all.toString());
        assertTrue(all.get(2).contains(":10: 'gather.within' in stage 's': 'soon' is not a time"), all.toString());
        assertTrue(all.get(3).contains(":11: unknown key 'colour' in 'gather'"), all.toString());

        List<String> minOverCount = problems(write(dir, """
                    gather: {by: parent, count: 3, min: 4}
                """));
        assertTrue(minOverCount.get(0).contains(":7: 'gather.min' in stage 's' must be a whole number from 1 to count (3), not '4'"),
                minOverCount.toString());
    }
}
