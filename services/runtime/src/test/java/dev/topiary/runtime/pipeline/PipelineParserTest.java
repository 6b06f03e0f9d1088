package dev.topiary.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineParserTest {
    static final Set<String> KINDS = Set.of("train", "prune", "test-copy");
    /** The service kinds the shipped example pipelines may use (the demo uses every one). */
    static final Set<String> EXAMPLE_KINDS = Set.of("train", "prune", "cut", "merge", "grow");
    static final Path FIXTURES = Path.of("src/test/resources/pipelines");
    /** Surefire runs in the module folder; the examples live at the repository root. */
    static final Path EXAMPLES = Path.of("../../pipelines");

    @Test
    void readsEveryKeyOfTheFormat() throws PipelineException {
        Path file = FIXTURES.resolve("valid/full.yaml");
        Pipeline p = PipelineParser.parse(file, KINDS);

        assertEquals("full", p.name());
        assertEquals("fashion-mnist", p.dataset());
        assertEquals(file, p.file());
        assertEquals(2, p.line());
        assertEquals(new TopicDefaults(3, (short) 2), p.topics());
        assertEquals(List.of("train", "prune", "loop", "finetune"), p.stages().stream().map(StageSpec::name).toList());

        StageSpec train = p.stages().get(0);
        assertEquals("train", train.uses());
        assertEquals(List.of("models.new", "models.grown"), train.from());
        assertEquals("models.trained", train.to());
        assertEquals(8, train.line());
        assertNull(train.dataset());
        assertEquals("fashion-mnist", p.datasetFor(train));

        StageSpec prune = p.stage("prune").orElseThrow();
        assertEquals(List.of("models.trained"), prune.from(), "a single topic becomes a one-element list");
        assertEquals("mnist", p.datasetFor(prune), "the stage's dataset overrides the pipeline's");
        assertTrue(prune.routes().isEmpty());
    }

    @Test
    void withValuesBecomeJavaTypes() throws PipelineException {
        Map<String, Object> with = PipelineParser.parse(FIXTURES.resolve("valid/full.yaml"), KINDS).stages().get(0).with();

        assertEquals(3, with.get("epochs"));
        assertEquals(Integer.class, with.get("epochs").getClass());
        assertEquals(3_000_000_000L, with.get("big"));
        assertEquals(0.001, with.get("learningRate"));
        assertEquals("adam", with.get("updater"));
        assertEquals(Boolean.TRUE, with.get("shuffle"));
        assertEquals("on", with.get("schedule"), "only true/false are booleans");
        assertEquals("042", with.get("note"), "quoted stays text");
        assertEquals(List.of(64, 32), with.get("layers"));
        assertEquals(Map.of("beta1", 0.9, "beta2", 0.999), with.get("updaterParams"));
        assertEquals(List.of("epochs", "batchSize", "learningRate", "updater", "seed", "big", "shuffle", "schedule",
                "note", "layers", "updaterParams"), List.copyOf(with.keySet()), "file order is kept");
        assertThrows(UnsupportedOperationException.class, () -> with.put("x", 1));
    }

    @Test
    void mergeKeysShareParametersAndExplicitKeysWin() throws PipelineException {
        Pipeline p = PipelineParser.parse(FIXTURES.resolve("valid/full.yaml"), KINDS);
        Map<String, Object> finetune = p.stage("finetune").orElseThrow().with();
        assertEquals(1, finetune.get("epochs"));
        assertEquals(0.001, finetune.get("learningRate"));
        assertEquals(128, finetune.get("batchSize"));
    }

    @Test
    void readsRoutesInOrder() throws PipelineException {
        List<Route> routes = PipelineParser.parse(FIXTURES.resolve("valid/full.yaml"), KINDS).stages().get(0).routes();
        assertEquals(2, routes.size());
        assertEquals("accuracy >= 0.9 and paramsRatio < 0.5", routes.get(0).when().toString());
        assertEquals("models.done", routes.get(0).to());
        assertEquals(25, routes.get(0).line());
        assertEquals("accuracyDrop > 0.02 || not (lossChange <= 0)", routes.get(1).when().toString());
        assertEquals("models.rejected", routes.get(1).to());
    }

    @Test
    void aStageMayReadItsOwnOutput() throws PipelineException {
        StageSpec loop = PipelineParser.parse(FIXTURES.resolve("valid/full.yaml"), KINDS).stage("loop").orElseThrow();
        assertEquals(List.of(loop.to()), loop.from());
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExamplePipelineParses(Path file) throws PipelineException {
        Pipeline p = PipelineParser.parse(file, EXAMPLE_KINDS);
        assertTrue(file.getFileName().toString().startsWith(p.name()), "file named after its pipeline");
    }

    @Test
    void demoIsWhatTheDemoNeeds() throws PipelineException {
        Pipeline demo = PipelineParser.parse(EXAMPLES.resolve("demo.yaml"), EXAMPLE_KINDS);
        assertEquals("fashion-mnist?train=15000&test=5000", demo.dataset());
        StageSpec train = demo.stage("train").orElseThrow();
        assertEquals(Map.of("epochs", 8, "batchSize", 128, "learningRate", 0.001, "updater", "adam", "seed", 42), train.with());
        assertEquals(Map.of("epochs", 2, "batchSize", 128, "learningRate", 0.002, "updater", "adam", "seed", 42),
                demo.stage("train-cnn").orElseThrow().with(), "the shared training settings, merged in, two overridden");
        StageSpec prune = demo.stage("prune").orElseThrow();
        assertEquals(Map.of("method", "magnitude", "scope", "global", "sparsity", 0.9, "schedule", "gradual",
                "steps", 20, "finetuneEpochs", 8, "finetuneLearningRate", 0.003, "finetuneWeightDecay", 0,
                "distill", 0.9), prune.with());
        assertEquals("models.rejected", Router.destination(prune, Map.of("accuracy", 0.80), Map.of("accuracy", 0.85)));
        assertEquals("models.pruned", Router.destination(prune, Map.of("accuracy", 0.84), Map.of("accuracy", 0.85)));
        assertEquals(3, demo.stage("finetune").orElseThrow().matrix().combinations().size());
    }

    /** Each fixture has exactly one problem: the file, its exact line, and a piece of the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "bad-yaml.yaml           | 8  | invalid YAML: expected ',' or '}'",
            "unknown-uses.yaml       | 8  | unknown service kind 'prun' in stage 'prune' (known: prune, test-copy, train)",
            "missing-from.yaml       | 8  | stage 'prune' has no 'from'",
            "missing-to.yaml         | 4  | stage 'train' has no 'to'",
            "duplicate-stage.yaml    | 11 | duplicate stage name 'train' (first defined at line 3)",
            "bad-when.yaml           | 11 | cannot parse when 'accuracyDrop >> 0.02' at column 15: expected a metric name or a number after '>'",
            "unknown-metric.yaml     | 8  | at column 20: unknown metric 'acuracyDrop' (known: accuracy, loss, params,",
            "unknown-top-key.yaml    | 2  | unknown top-level key 'datset' (allowed: pipeline, dataset, topics, stages)",
            "unknown-stage-key.yaml  | 5  | unknown key 'form' in stage 'copy' (allowed: name, uses, from, to, with, routes, dataset, matrix, gather)",
            "missing-name.yaml       | 2  | missing 'pipeline:'",
            "empty-stages.yaml       | 2  | 'stages' is empty",
            "no-stages.yaml          | 1  | missing 'stages:'",
            "not-a-mapping.yaml      | 1  | expected a mapping with 'pipeline:' and 'stages:' at the top, found a list",
            "with-not-mapping.yaml   | 8  | 'with' must be a mapping",
            "route-missing-to.yaml   | 10 | route in stage 'prune' has no 'to'",
            "route-missing-when.yaml | 8  | route in stage 'prune' has no 'when'",
            "stage-without-name.yaml | 3  | stage has no 'name'",
            "bad-topic.yaml          | 5  | topic 'models new' may only contain letters, digits",
            "duplicate-key.yaml      | 7  | duplicate key 'to' (first at line 6)",
            "bad-topics-block.yaml   | 3  | 'partitions' must be a whole number from 1",
            "empty-with-value.yaml   | 8  | 'with.epochs' has no value",
            "empty.yaml              | 1  | the file is empty",
            "recursive-alias.yaml    | 9  | 'with.again' refers to itself through an alias",
            "unquoted-not.yaml       | 8  | a value that starts with ! is read as a YAML tag: quote the whole value",
            "spaced-not.yaml         | 8  | 'when' starts with !, which YAML reads as a tag, not as text: quote the whole value",
    })
    void reportsTheFileTheLineAndWhatIsWrong(String name, int line, String fragment) {
        Path file = FIXTURES.resolve("invalid").resolve(name);
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineParser.parse(file, KINDS));

        assertEquals(1, e.problems().size(), e.getMessage());
        Problem problem = e.problems().get(0);
        assertEquals(new Problem(file, line, problem.message()), problem);
        String expectedStart = file + ":" + line + ": ";
        assertTrue(problem.toString().startsWith(expectedStart), problem + " should start with " + expectedStart);
        assertTrue(problem.message().contains(fragment), problem.message());
        assertEquals(problem.toString(), e.getMessage());
    }

    @Test
    void reportsEveryProblemInLineOrder() {
        Path file = FIXTURES.resolve("invalid/many-problems.yaml");
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineParser.parse(file, KINDS));

        List<String> expected = List.of(
                file + ":2: unknown top-level key 'colour'",
                file + ":4: stage 'train' has no 'to'",
                file + ":5: unknown service kind 'trian'",
                file + ":7: stage 'prune' has no 'from'",
                file + ":10: 'with' must be a mapping",
                file + ":12: cannot parse when 'accuracyDrop > 2%' at column 17",
                file + ":14: duplicate stage name 'train' (first defined at line 4)");
        List<String> actual = e.problems().stream().map(Problem::toString).toList();
        assertEquals(expected.size(), actual.size(), e.getMessage());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(actual.get(i).startsWith(expected.get(i)), actual.get(i) + "\n  expected to start with\n" + expected.get(i));
        }
        assertEquals(String.join("\n", actual), e.getMessage());
    }

    @Test
    void aMissingFileIsAProblemToo() {
        Path file = FIXTURES.resolve("invalid/no-such-file.yaml");
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineParser.parse(file, KINDS));
        assertEquals(file + ": no such file", e.getMessage());
    }
}
