package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code topiary pipelines validate}: exit 0 for the shipped pipelines, 1 with FILE:LINE for a broken one. */
class PipelinesValidateTest {
    @Test
    void shippedPipelinesAreValid() {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        Run r = run("pipelines", "validate", root.resolve("pipelines/demo.yaml").toString(),
                root.resolve("pipelines/fashion-compress.yaml").toString(), root.resolve("pipelines/sweep.yaml").toString(),
                root.resolve("pipelines/grow-until-good.yaml").toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("pipeline 'demo' is valid"), r.out);
        assertTrue(r.out.contains("pipeline 'sweep' is valid"), r.out);
        assertTrue(r.out.contains("pipeline 'grow-until-good' is valid"), r.out);
    }

    @Test
    void matrixAndGatherMistakesNameTheirLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fan.yaml");
        Files.writeString(file, """
                pipeline: fan
                stages:
                  - name: sweep
                    uses: train
                    from: x
                    to: y
                    matrix:
                      seed: [1, 2]
                      learningRat: [0.001]
                  - name: soup
                    uses: train
                    from: y
                    to: z
                    gather: {by: parent, count: 3, min: 4, within: soon}
                """);
        Run r = run("pipelines", "validate", file.toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.contains(file + ":9: in the matrix: stage 'sweep': unknown parameter 'learningRat'"), r.err);
        assertTrue(r.err.contains(file + ":14: 'gather.min' in stage 'soup' must be a whole number from 1 to count (3)"), r.err);
        assertTrue(r.err.contains(file + ":14: 'gather.within' in stage 'soup': 'soon' is not a time"), r.err);
    }

    @Test
    void brokenPipelineNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, """
                pipeline: broken
                stages:
                  - name: a
                    uses: train
                    from: x
                    to: y
                  - name: b
                    uses: sculpt
                    to: z
                """);
        Run r = run("pipelines", "validate", file.toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.contains(file + ":8:") && r.err.contains("sculpt"), r.err);
        assertTrue(r.err.contains(file + ":7:") && r.err.contains("from"), r.err);
    }

    @Test
    void eachKindChecksItsOwnParametersAndMetricsAtTheirLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("params.yaml");
        Files.writeString(file, """
                pipeline: params
                dataset: fashion-mnist
                stages:
                  - name: train
                    uses: train
                    from: models.new
                    to: models.trained
                    with: {epochs: 2, validationFraction: 0.1}
                  - name: prune
                    uses: prune
                    from: models.trained
                    to: models.pruned
                    with:
                      method: magnitude
                      sparsity: 1.5
                    routes:
                      - when: train.epochsRun < 2
                        to: models.odd
                  - name: augmented
                    uses: train
                    from: models.pruned
                    to: models.augmented
                    with: {augment: "flip,rotate"}
                """);
        Run r = run("pipelines", "validate", file.toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.contains(file + ":8: stage 'train': unknown parameter 'validationFraction'"), r.err);
        assertTrue(r.err.contains(file + ":15: stage 'prune': parameter 'sparsity' must be a fraction in [0, 1], got '1.5'"),
                r.err);
        assertTrue(r.err.contains(file + ":17: cannot parse when 'train.epochsRun < 2'") && r.err.contains("unknown metric"),
                r.err);
        assertTrue(r.err.contains(file + ":23: stage 'augmented': parameter 'augment' cannot be read: 'rotate' in"), r.err);
        assertEquals(4, r.err.strip().lines().count(), r.err);
    }

    @Test
    void aDataSetNoStageCouldReadFailsAtItsLineOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.yaml");
        Files.writeString(file, """
                pipeline: data
                dataset: fasion-mnist
                stages:
                  - name: train
                    uses: train
                    from: models.new
                    to: models.trained
                  - name: prune
                    uses: prune
                    from: models.trained
                    to: models.pruned
                    with: {sparsity: 0.5}
                  - name: cut
                    uses: cut
                    from: models.pruned
                    to: models.cut
                    dataset: fashion-mnist?train=abc
                    with: {blocks: 1}
                  - name: local
                    uses: grow
                    from: models.cut
                    to: models.grown
                    dataset: csv:/elsewhere/iris.csv?train=100
                    with: {method: wider, factor: 2}
                """);
        Run r = run("pipelines", "validate", file.toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.contains(file + ":2: Unknown data set 'fasion-mnist': expected fashion-mnist, fashion-mnist-small"), r.err);
        assertTrue(r.err.contains(file + ":17: stage 'cut': Bad option train=abc in data set fashion-mnist?train=abc"), r.err);
        assertEquals(2, r.err.strip().lines().count(), "the pipeline's line once, however many stages read it; a csv: file"
                + " is not looked for here: " + r.err);

        Path none = Files.writeString(dir.resolve("none.yaml"), """
                pipeline: none
                stages:
                  - name: train
                    uses: train
                    from: a
                    to: b
                """);
        Run missing = run("pipelines", "validate", none.toString());
        assertEquals(1, missing.exit);
        assertTrue(missing.err.contains(none + ":3: stage 'train': no data set to train and evaluate on: set 'dataset:'"),
                "every input would be dead-lettered: " + missing.err);
    }

    @Test
    void aRouteOnAKindsOwnMetricValidates(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("route.yaml");
        Files.writeString(file, """
                pipeline: route
                dataset: fashion-mnist
                stages:
                  - name: prune
                    uses: prune
                    from: models.trained
                    to: models.pruned
                    with: {sparsity: 0.9}
                    routes:
                      - when: prune.weightSparsity < 0.85 or accuracy < bestParentAccuracy
                        to: models.undershot
                """);
        Run r = run("pipelines", "validate", file.toString());
        assertEquals(0, r.exit, r.err);
    }

    record Run(int exit, String out, String err) {}

    /** Runs the CLI in this JVM, capturing what it prints (picocli binds its writers to System.out/err when built). */
    static Run run(String... args) {
        try (CapturedOutput printed = new CapturedOutput()) {
            int exit = Main.commandLine().execute(args);
            return new Run(exit, printed.out(), printed.err());
        }
    }
}
