package dev.topiary.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSetTest {
    private static final Path SET = PipelineParserTest.FIXTURES.resolve("set");

    @Test
    void findsTheStagesOfAKindAcrossPipelines() throws PipelineException {
        PipelineSet set = PipelineSet.load(
                List.of(PipelineParserTest.EXAMPLES, SET.resolve("b/second.yml")), PipelineParserTest.EXAMPLE_KINDS);

        assertEquals(List.of("demo", "fashion-compress", "grow-until-good", "sweep", "second"), set.pipelines().stream().map(Pipeline::name).toList());
        List<String> trainers = set.stagesUsing("train").stream()
                .map(s -> s.pipeline().name() + "/" + s.stage().name()).toList();
        assertEquals(List.of("demo/train", "demo/finetune", "demo/train-resmlp", "demo/train-cnn", "demo/train-small",
                "fashion-compress/train", "grow-until-good/train", "sweep/train", "second/train", "second/again"), trainers);
        assertEquals("fashion-mnist?train=15000&test=5000", set.stagesUsing("prune").get(0).dataset());
        assertEquals("fashion-mnist", set.stagesUsing("prune").get(2).dataset(), "fashion-compress/prune");
        assertEquals(List.of("demo/grow-small", "grow-until-good/grow"), set.stagesUsing("grow").stream()
                .map(s -> s.pipeline().name() + "/" + s.stage().name()).toList());
        assertTrue(set.pipeline("second").isPresent());
    }

    @Test
    void aFileGivenTwiceLoadsOnce() throws PipelineException {
        Path demo = PipelineParserTest.EXAMPLES.resolve("demo.yaml");
        PipelineSet set = PipelineSet.load(List.of(demo, PipelineParserTest.EXAMPLES), PipelineParserTest.EXAMPLE_KINDS);
        assertEquals(4, set.pipelines().size(), "demo once, fashion-compress, grow-until-good, sweep");
    }

    @Test
    void refusesTheSamePipelineNameInTwoFiles() {
        Path first = SET.resolve("a/one.yaml");
        Path second = SET.resolve("b/other.yaml");
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineSet.load(List.of(first, second), PipelineParserTest.KINDS));

        assertEquals(List.of(new Problem(second, 2, "pipeline 'shared-name' is already defined at " + first + ":1")),
                e.problems());
    }

    @Test
    void reportsTheProblemsOfAllFilesTogether() {
        Path bad = PipelineParserTest.FIXTURES.resolve("invalid/unknown-uses.yaml");
        Path alsoBad = PipelineParserTest.FIXTURES.resolve("invalid/missing-to.yaml");
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineSet.load(List.of(bad, SET.resolve("a/one.yaml"), alsoBad), PipelineParserTest.KINDS));

        assertEquals(2, e.problems().size(), e.getMessage());
        assertEquals(bad, e.problems().get(0).file());
        assertEquals(alsoBad, e.problems().get(1).file());
    }

    @Test
    void refusesADuplicateStageInAPipelineBuiltInCode() {
        StageSpec copy = new StageSpec("copy", "test-copy", List.of("a"), "b", Map.of(), List.of(), null, 0);
        Pipeline p = new Pipeline("built", null, List.of(copy, copy), null);
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineSet.of(List.of(p)));
        assertEquals("<pipeline>: duplicate stage name 'copy' in pipeline 'built' (first at <pipeline>)", e.getMessage());
    }

    @Test
    void anEmptyDirectoryIsAProblem() {
        Path empty = PipelineParserTest.FIXTURES.resolve("set");  // only sub-directories, no files
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineSet.load(List.of(empty), PipelineParserTest.KINDS));
        assertTrue(e.getMessage().startsWith(empty + ": no pipeline files"), e.getMessage());
    }
}
