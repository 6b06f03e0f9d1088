package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.testing.PipelineProcessMain;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage with a matrix of five runs once per combination for its one input: five distinct
 * versions, each once, each saying its combination, with ids derived from it. A SIGKILL of the
 * service while jobs are half done, and a restart, still give exactly five.
 */
class MatrixTest {
    private final KafkaSettings kafka = TestBroker.settings();

    private static Path pipeline(Path dir, String name, String in, String out, long sleepMs) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                pipeline: %s
                stages:
                  - name: sweep
                    uses: test-copy
                    from: %s
                    to: %s
                    with: {sleepMs: %d}
                    matrix:
                      tag: [a, b, c, d, e]
                """.formatted(name, in, out, sleepMs));
        return file;
    }

    @Test
    void aMatrixOfFiveMakesFiveVersionsEachOnceWithItsCombination(@TempDir Path dir) throws Exception {
        String name = TestBroker.unique("m");
        String in = name + ".in";
        String out = name + ".out";
        PipelineSet set = PipelineSet.load(List.of(pipeline(dir, name, in, out, 0)), ServiceKinds.catalog());
        ModelVersion input = TextModels.publish(kafka, in, "accuracy=0.5");
        try (ServiceHost host = new ServiceHost(set, Map.of("test-copy", ServiceKinds.available().get("test-copy")), kafka,
                ArtifactOptions.DEFAULT, "matrix");
             TopicReader reader = new TopicReader(kafka)) {
            assertEquals(2, host.runners().size(), "the expansion and the jobs");
            reader.open(out, true);
            List<ModelVersion> made = reader.awaitVersions(5, v -> true, Duration.ofSeconds(60));
            Thread.sleep(1500); // room for a sixth
            assertEquals(5, reader.readVersions(out).size(), "each job once");
            Set<String> ids = new HashSet<>();
            Set<String> tags = new TreeSet<>();
            for (ModelVersion v : made) {
                ids.add(v.getId());
                assertEquals(List.of(input.getId()), v.getParents());
                String combination = v.getOperation().getParams().get(MatrixJob.PARAM);
                Map<String, Object> identity = MatrixJob.of(0, 5, Map.of("tag", tagOf(combination))).identity(Map.of("sleepMs", 0));
                assertEquals(VersionIds.derive(List.of(input.getId()), name, "sweep", identity), v.getId(),
                        "the id derives from the combination");
                assertEquals("\"" + tagOf(combination) + "\"", v.getOperation().getParams().get("tag"),
                        "the combination's value is among the params");
                String artifact = new String(Artifacts.kafka(kafka, 1 << 20).get(v.getArtifact()), StandardCharsets.UTF_8);
                assertTrue(artifact.endsWith(";tag=" + tagOf(combination)), "the job ran with its value: " + artifact);
                tags.add(tagOf(combination));
            }
            assertEquals(5, ids.size(), "distinct ids");
            assertEquals(Set.of("a", "b", "c", "d", "e"), tags);
            assertEquals(5, reader.readAll(Topics.jobsOf(name, "sweep")).size(), "one job record per combination");
        }
    }

    @Test
    void aSigkillMidMatrixStillGivesExactlyFive(@TempDir Path dir) throws Exception {
        String name = TestBroker.unique("mk");
        String in = name + ".in";
        String out = name + ".out";
        Path file = pipeline(dir, name, in, out, 800);
        TextModels.publish(kafka, in, "accuracy=0.5");
        try (TopicReader reader = new TopicReader(kafka)) {
            Process first = PipelineProcessMain.start(kafka.bootstrap(), file, dir.resolve("data"), "mk",
                    Path.of("target/matrix-kill-1.log"));
            try {
                awaitTopic(reader, out);
                reader.awaitVersions(2, v -> true, Duration.ofSeconds(90));
            } finally {
                first.destroyForcibly(); // SIGKILL mid-matrix: a job is running, others are waiting
                first.waitFor();
            }
            Process second = PipelineProcessMain.start(kafka.bootstrap(), file, dir.resolve("data"), "mk",
                    Path.of("target/matrix-kill-2.log"));
            try {
                long deadline = System.currentTimeMillis() + 120_000;
                while (reader.readVersions(out).size() < 5 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                }
                Thread.sleep(2000); // room for a duplicate
                List<ModelVersion> all = reader.readVersions(out);
                Set<String> combinations = new HashSet<>();
                all.forEach(v -> combinations.add(v.getOperation().getParams().get(MatrixJob.PARAM)));
                assertEquals(5, all.size(), "exactly five versions: " + combinations);
                assertEquals(5, combinations.size(), "one per combination");
                assertEquals(5, reader.readAll(Topics.jobsOf(name, "sweep")).size(), "the input was expanded once");
            } finally {
                second.destroyForcibly();
                second.waitFor();
            }
        }
    }

    private static void awaitTopic(TopicReader reader, String topic) {
        reader.open(topic, true); // waits for the child to create it
    }

    private static String tagOf(String combinationJson) {
        return combinationJson.replaceAll(".*\"tag\":\"([a-z])\".*", "$1");
    }
}
