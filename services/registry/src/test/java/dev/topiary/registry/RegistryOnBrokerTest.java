package dev.topiary.registry;

import static dev.topiary.registry.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.registry.client.AliasPublisher;
import dev.topiary.registry.client.RegistryClient;
import dev.topiary.registry.testing.HandMadeVersions;
import dev.topiary.runtime.artifact.Sha256;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.StageSpec;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The registry on the embedded broker, fed by three real stage runners: what they publish and
 * dead-letter shows in the API with its lineage; restarted, it is complete at once; a second
 * instance answers the same for every key; frontier and best on hand-made metrics; API errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryOnBrokerTest {
    private final KafkaSettings kafka = TestBroker.settings();
    private final String in = TestBroker.unique("in");
    private final String a = TestBroker.unique("a");
    private final String b = TestBroker.unique("b");
    private final String c = TestBroker.unique("c");
    private final String name = TestBroker.unique("registry");
    private final List<RunningStage> stages = new ArrayList<>();
    private PipelineSet pipelines;
    private Path stateDir;
    private RegistryService registry;
    private RegistryClient api;
    private ModelVersion root;
    private ModelVersion refused;

    @BeforeAll
    void startRegistryThenStagesAndPublish() throws Exception {
        Map<String, Object> failOn = Map.of("failOn", "explode");
        pipelines = PipelineSet.of(List.of(new Pipeline("reg", null, List.of(
                new StageSpec("s1", "test-copy", List.of(in), a, failOn, List.of(), null, 0),
                new StageSpec("s2", "test-copy", List.of(a), b, Map.of(), List.of(), null, 0),
                new StageSpec("s3", "test-copy", List.of(b), c, Map.of(), List.of(), null, 0)), null)));
        stateDir = Files.createTempDirectory("registry-state");
        registry = start(stateDir);
        api = new RegistryClient(registry.url());
        stages.add(RunningStage.copy(binding("s1", in, a, failOn), kafka, 1));
        stages.add(RunningStage.copy(binding("s2", a, b, Map.of()), kafka, 1));
        stages.add(RunningStage.copy(binding("s3", b, c, Map.of()), kafka, 1));
        root = TextModels.publish(kafka, in, "accuracy=0.9;macs=1000");
        refused = TextModels.publish(kafka, in, "accuracy=0.1;explode=1");
        await(() -> registry.state().lineage(root.getId()).size() == 4 && registry.state().deadLetterCount() == 1,
                "three stages' versions and the dead letter");
    }

    private RegistryService start(Path dir) throws InterruptedException {
        return RegistryService.start(new HostContext(pipelines, kafka, ArtifactOptions.DEFAULT, dir, TestBroker.unique("i"),
                Map.of(RegistryOptions.PORT, "0", RegistryOptions.NAME, name)));
    }

    private static StageBinding binding(String stage, String from, String to, Map<String, Object> params) {
        return new StageBinding("reg", stage, "test-copy", List.of(from), Set.of(to), params, "none", (m, p) -> to);
    }

    @AfterAll
    void stop() throws Exception {
        for (RunningStage s : stages) {
            s.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void versionsOfThreeStagesAndTheDeadLetterAreInTheApiWithTheirEdges() {
        JsonNode lineage = api.json("/api/lineage/" + root.getId());
        List<String> stagesInOrder = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        lineage.path("versions").forEach(v -> {
            stagesInOrder.add(v.path("stage").asText());
            ids.add(v.path("id").asText());
        });
        assertEquals(List.of("publish", "s1", "s2", "s3"), stagesInOrder);
        List<List<String>> edges = new ArrayList<>();
        lineage.path("edges").forEach(e -> edges.add(List.of(e.get(0).asText(), e.get(1).asText())));
        assertEquals(List.of(List.of(ids.get(0), ids.get(1)), List.of(ids.get(1), ids.get(2)), List.of(ids.get(2), ids.get(3))), edges);

        JsonNode s3 = api.json("/api/versions/" + ids.get(3));
        assertEquals(c, s3.path("topic").asText());
        assertEquals(0.9, s3.path("metrics").path("accuracy").asDouble());
        assertEquals(List.of(), toList(s3.path("children")));
        assertEquals(List.of(ids.get(1)), toList(api.json("/api/versions/" + root.getId()).path("children")));
        assertEquals(1, api.json("/api/versions?stage=s2&lineage=" + root.getId()).path("count").asInt());
        assertEquals(4, api.json("/api/versions?lineage=" + ids.get(3)).path("count").asInt(), "a version id stands for its lineage");
        var unknownLineage = api.get("/api/versions?lineage=v-nowhere");
        assertEquals(404, unknownLineage.status(), "an unknown lineage is not an empty one");
        assertTrue(unknownLineage.text().contains("no lineage, version or alias 'v-nowhere'"), unknownLineage.text());
        assertEquals(2, api.json("/api/versions?topic=" + in).path("count").asInt(), "both roots were published to the input");

        JsonNode dead = api.json("/api/deadletters");
        assertEquals(1, dead.path("total").asInt());
        JsonNode stage = dead.path("stages").get(0);
        assertEquals("reg/s1", stage.path("stage").asText());
        assertEquals(1, stage.path("count").asInt());
        assertTrue(stage.path("latest").path("error").asText().contains("artifact asks to fail"), stage.toString());
        assertEquals(refused.getId(), stage.path("latest").path("versionId").asText());
        assertEquals(in, stage.path("latest").path("sourceTopic").asText());
    }

    @Test
    @Order(2)
    void theArtifactIsServedAsStoredAndAnAliasResolves() throws Exception {
        byte[] bytes = api.artifact(root.getId());
        assertArrayEquals("accuracy=0.9;macs=1000".getBytes(StandardCharsets.UTF_8), bytes);
        assertEquals(root.getArtifact().getSha256(), Sha256.hex(bytes));

        String alias = "production-" + name.substring(name.length() - 8);
        try (AliasPublisher aliases = new AliasPublisher(kafka)) {
            aliases.promote(alias, root.getId(), root.getLineage(), "test");
        }
        await(() -> registry.state().resolve(alias).isPresent(), "the alias");
        assertEquals(root.getId(), api.version(alias).getId());
        assertEquals(List.of(alias), toList(api.json("/api/versions/" + root.getId()).path("aliases")));
    }

    @Test
    @Order(3)
    void frontierAndBestOnHandMadeMetricsGiveTheHandComputedAnswers() throws Exception {
        // on fm:  t (0.900, 1000 MACs, 10 ms)  p1 (0.895, 400, 5)  p2 (0.880, 200, 3)  p3 (0.890, 500, 6)
        // MACs frontier: p2, p1, t (p3 costs more than p1 and is less accurate).
        // best by latency within 0.01 of t (floor 0.890): t, p1, p3 -> p1; within 0.02: p2.
        String l = TestBroker.unique("v-hand");
        var ref = root.getArtifact();
        List<ModelVersion> hand = List.of(
                HandMadeVersions.version(l, l, List.of(), "train", OperationKind.TRAIN, "fm",
                        Map.of("accuracy", 0.900, "macs", 1000.0, "latencyMs", 10.0), ref),
                HandMadeVersions.version(l + "-p1", l, List.of(l), "prune", OperationKind.PRUNE, "fm",
                        Map.of("accuracy", 0.895, "macs", 400.0, "latencyMs", 5.0), ref),
                HandMadeVersions.version(l + "-p2", l, List.of(l + "-p1"), "prune", OperationKind.PRUNE, "fm",
                        Map.of("accuracy", 0.880, "macs", 200.0, "latencyMs", 3.0), ref),
                HandMadeVersions.version(l + "-p3", l, List.of(l), "prune", OperationKind.PRUNE, "fm",
                        Map.of("accuracy", 0.890, "macs", 500.0, "latencyMs", 6.0), ref));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer())) {
            for (ModelVersion v : hand) {
                producer.send(new ProducerRecord<>(c, l, Events.MODEL_VERSION.encode(v))).get();
            }
        }
        await(() -> registry.state().lineage(l).size() == 4, "the hand-made lineage");

        JsonNode frontier = api.json("/api/frontier?x=macs&lineage=" + l);
        assertEquals(1, frontier.path("frontiers").size());
        assertEquals("fm", frontier.path("frontiers").get(0).path("dataset").asText());
        assertEquals(List.of(l + "-p2", l + "-p1", l), ids(frontier.path("frontiers").get(0).path("versions")));

        JsonNode best = api.best(l, "latencyMs", 0.01);
        assertEquals(l + "-p1", best.path("version").path("id").asText());
        assertEquals(l, best.path("reference").path("id").asText());
        assertEquals(3, best.path("candidates").asInt());
        assertEquals(l + "-p2", api.best(l, "latencyMs", 0.02).path("version").path("id").asText());
    }

    @Test
    @Order(4)
    void apiErrorsAreJsonNamingWhatWasWrong() {
        var unknown = api.get("/api/versions/v-doesnotexist");
        assertEquals(404, unknown.status());
        assertEquals("no version or alias 'v-doesnotexist'", unknown.json().path("error").asText());
        assertEquals(404, api.get("/api/lineage/v-doesnotexist").status());

        var badX = api.get("/api/frontier?x=flops");
        assertEquals(400, badX.status());
        assertEquals("x", badX.json().path("parameter").asText());
        assertTrue(badX.json().path("error").asText().contains("macs, latencyMs, artifactBytes, params"), badX.text());

        var typo = api.get("/api/versions?linage=" + root.getId());
        assertEquals(400, typo.status());
        assertEquals("linage", typo.json().path("parameter").asText());

        var noLineage = api.get("/api/best?minimize=latencyMs");
        assertEquals(400, noLineage.status());
        assertEquals("lineage", noLineage.json().path("parameter").asText());

        var badDrop = api.get("/api/best?lineage=" + root.getId() + "&maxAccuracyDrop=lots");
        assertEquals(400, badDrop.status());
        assertEquals("maxAccuracyDrop", badDrop.json().path("parameter").asText());

        var untrained = api.get("/api/best?lineage=" + root.getId());
        assertEquals(404, untrained.status(), "copies are not trained versions: " + untrained.text());
    }

    @Test
    @Order(5)
    void restartedItIsCompleteAtOnceAndASecondInstanceAnswersTheSameForEveryKey() throws Exception {
        int versions = registry.state().versionCount();
        registry.close();
        registry = start(stateDir);
        api = new RegistryClient(registry.url());
        // start returns when the global stores are loaded: nothing is waited for here
        assertEquals(versions, registry.state().versionCount());
        assertEquals(1, registry.state().deadLetterCount());
        assertEquals(4, api.json("/api/lineage/" + root.getId()).path("versions").size());

        try (RegistryService second = start(Files.createTempDirectory("registry-state-2"))) {
            RegistryClient other = new RegistryClient(second.url());
            List<String> paths = new ArrayList<>(List.of("/api/versions", "/api/lineages", "/api/frontier",
                    "/api/frontier?x=latencyMs", "/api/deadletters", "/api/aliases"));
            for (String id : registry.state().versions().stream().map(v -> v.id()).toList()) {
                paths.add("/api/versions/" + id);
            }
            for (String lineage : registry.state().lineageIds()) {
                paths.add("/api/lineage/" + lineage);
            }
            for (String path : paths) {
                assertEquals(api.json(path), other.json(path), path);
            }
            assertTrue(paths.size() > 15, "every key compared: " + paths.size());
        }
    }

    private static List<String> ids(JsonNode versions) {
        List<String> out = new ArrayList<>();
        versions.forEach(v -> out.add(v.path("id").asText()));
        return out;
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
