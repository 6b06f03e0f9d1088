package dev.topiary.gatherer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fan-out and fan-in in one pipeline file on the embedded broker, as {@code topiary up} hosts it:
 * a matrix of five gathered by parent into one input of five parents for the next stage; a failed
 * matrix job making the set partial; two sets interleaved on one partition gathered apart; and
 * {@code within} emitting a partial set of three, or dead-lettering the three below {@code min}.
 */
class GatherOnBrokerTest {
    private static final KafkaSettings kafka = TestBroker.settings();
    private static final String P = TestBroker.unique("g");
    private static ServiceHost host;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, pipeline(P));
        PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.catalog());
        host = new ServiceHost(set, ServiceKinds.available(), Map.of(GathererKind.NAME, new GathererKind()), kafka,
                ArtifactOptions.DEFAULT, "gather-test", RetryPolicy.DEFAULT, dir.resolve("data"), Map.of());
    }

    /** Also what the Testcontainers run uses. */
    static String pipeline(String name) {
        return """
                pipeline: %1$s
                stages:
                  - name: sweep
                    uses: test-copy
                    from: %1$s.in
                    to: %1$s.swept
                    matrix:
                      tag: [a, b, c, d]
                      include:
                        - {tag: e, failOn: fail-me}
                  - name: join
                    uses: test-join
                    from: %1$s.swept
                    to: %1$s.joined
                    gather: {by: parent, count: 5, min: 4}
                  - name: pairs
                    uses: test-join
                    from: %1$s.mixed
                    to: %1$s.paired
                    gather: {by: parent, count: 2}
                  - name: soon
                    uses: test-join
                    from: %1$s.few
                    to: %1$s.soon
                    gather: {by: parent, count: 5, within: 2s, min: 2}
                  - name: strict
                    uses: test-join
                    from: %1$s.few2
                    to: %1$s.strict
                    gather: {by: parent, count: 5, within: 2s, min: 4}
                """.formatted(name);
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void aMatrixOfFiveIsGatheredIntoOneInputWithFiveParents() throws Exception {
        ModelVersion input = TextModels.publish(kafka, P + ".in", "accuracy=0.5");
        assertFanIn(kafka, P, input);
    }

    /** One output on {@code joined} whose five parents are the five matrix versions of {@code input}. */
    static void assertFanIn(KafkaSettings kafka, String pipeline, ModelVersion input) {
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.open(pipeline + ".joined", true);
            ModelVersion joined = reader.awaitVersions(1, v -> true, Duration.ofSeconds(90)).get(0);
            List<ModelVersion> swept = reader.readVersions(pipeline + ".swept").stream()
                    .filter(v -> v.getParents().equals(List.of(input.getId()))).toList();
            assertEquals(5, swept.size());
            assertEquals(swept.stream().map(ModelVersion::getId).sorted().toList(), joined.getParents(),
                    "the five matrix versions, sorted by id");
            assertEquals("COMPLETE", joined.getLabels().get("join.state"));
            List<ModelSet> sets = reader.readAll(Topics.gatheredOf(pipeline, "join")).stream()
                    .map(r -> Topics.modelSets(r.topic()).decode(r.value())).toList();
            assertEquals(1, sets.size(), "one set");
            assertEquals(input.getId(), sets.get(0).getKey());
            assertEquals(5, sets.get(0).getArrived());
        }
    }

    @Test
    void aDeadLetteredMatrixJobMakesThePartialSetThatMinAllows() throws Exception {
        ModelVersion input = TextModels.publish(kafka, P + ".in", "fail-me;accuracy=0.4");
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.open(P + ".joined", true);
            ModelVersion joined = reader.awaitVersions(1, v -> v.getParents().size() == 4, Duration.ofSeconds(90)).get(0);
            assertEquals("PARTIAL", joined.getLabels().get("join.state"));
            assertEquals("1", joined.getLabels().get("join.failed"));
            assertEquals("5", joined.getLabels().get("join.expected"));
            ModelSet set = reader.readAll(Topics.gatheredOf(P, "join")).stream()
                    .map(r -> Topics.modelSets(r.topic()).decode(r.value()))
                    .filter(s -> s.getKey().equals(input.getId())).findFirst().orElseThrow();
            assertTrue(set.getFailures().get(0).getReason().contains("artifact asks to fail"), set.toString());
        }
    }

    @Test
    void twoSetsInterleavedOnOnePartitionAreGatheredApart() throws Exception {
        ModelVersion a = TextModels.publish(kafka, P + ".roots", "a");
        ModelVersion b = TextModels.publish(kafka, P + ".roots", "b");
        List<ModelVersion> sent = List.of(member(a, "a1"), member(b, "b1"), member(a, "a2"), member(b, "b2"));
        publish(P + ".mixed", sent);
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.open(P + ".paired", true);
            List<ModelVersion> out = reader.awaitVersions(2, v -> true, Duration.ofSeconds(90));
            Set<String> pairs = new TreeSet<>(out.stream().map(v -> String.join(",", v.getParents())).toList());
            Set<String> expected = new TreeSet<>(List.of(
                    sorted(sent.get(0).getId(), sent.get(2).getId()), sorted(sent.get(1).getId(), sent.get(3).getId())));
            assertEquals(expected, pairs, "each output has the two members of its own parent");
        }
    }

    @Test
    void withinPassingWithThreeOfFiveEmitsAPartialSetOfThree() throws Exception {
        ModelVersion parent = TextModels.publish(kafka, P + ".roots", "p");
        List<ModelVersion> three = List.of(member(parent, "1"), member(parent, "2"), member(parent, "3"));
        publish(P + ".few", three);
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.open(P + ".soon", true);
            ModelVersion out = reader.awaitVersions(1, v -> true, Duration.ofSeconds(60)).get(0);
            assertEquals(three.stream().map(ModelVersion::getId).sorted().toList(), out.getParents());
            assertEquals("PARTIAL", out.getLabels().get("join.state"));
        }
    }

    @Test
    void withinPassingWithFewerThanMinDeadLettersTheMembersWithTheReason() throws Exception {
        ModelVersion parent = TextModels.publish(kafka, P + ".roots", "q");
        List<ModelVersion> three = List.of(member(parent, "1"), member(parent, "2"), member(parent, "3"));
        publish(P + ".few2", three);
        List<ConsumerRecord<String, byte[]>> dead = DeadLetterWait.await(kafka, P + ".few2", 3);
        assertEquals(three.stream().map(ModelVersion::getId).collect(Collectors.toSet()),
                dead.stream().map(r -> Topics.versions(r.topic()).decode(r.value()).getId()).collect(Collectors.toSet()));
        for (ConsumerRecord<String, byte[]> r : dead) {
            assertEquals("gather " + P + "/strict: within 2s passed with 3 of 5, fewer than min 4",
                    DeadLetterWait.header(r, "topiary.error"));
        }
        try (TopicReader reader = new TopicReader(kafka)) {
            assertEquals(0, reader.readAll(P + ".strict").size());
        }
    }

    private static ModelVersion member(ModelVersion parent, String text) {
        return Members.of(kafka, P + ".roots", parent, "accuracy=0.6;" + text);
    }

    private static void publish(String topic, List<ModelVersion> versions) throws Exception {
        Members.send(kafka, topic, versions);
    }

    private static String sorted(String x, String y) {
        return x.compareTo(y) < 0 ? x + "," + y : y + "," + x;
    }

}
