package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.registry.RegistryOptions;
import dev.topiary.registry.RegistryService;
import dev.topiary.registry.client.RegistryClient;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** versions, best, promote, demote and pull against a registry on the embedded broker, as a user types them. */
class RegistryCommandsTest {
    @Test
    void versionsBestPromoteAndPullAnAliasThroughTheRegistry(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = TestBroker.settings();
        String topic = TestBroker.unique("cli-registry");
        Path model = dir.resolve("model.zip");
        byte[] bytes = ModelArtifacts.save(ModelFactory.mlp(3, new int[] {20, 8, 3}), true);
        Files.write(model, bytes);
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensure(List.of(topic)); // before the registry starts, so it subscribes at once
        }
        try (RegistryService registry = RegistryService.start(new HostContext(PipelineSet.of(List.of()), kafka,
                ArtifactOptions.DEFAULT, dir.resolve("state"), "cli", Map.of(RegistryOptions.PORT, "0",
                RegistryOptions.NAME, TestBroker.unique("cli-registry"), RegistryOptions.TOPICS, java.util.regex.Pattern.quote(topic))))) {
            String url = registry.url();
            var published = PipelinesValidateTest.run("publish", model.toString(), "--to", topic, "--bootstrap", kafka.bootstrap());
            assertEquals(0, published.exit(), published.err());
            String root = published.out().trim();
            ModelVersion rootEvent = awaitVersion(registry, root);
            // trained 0.90 at 10 ms; prunes: 0.895 at 4 ms (within one point), 0.85 at 2 ms (not)
            ModelVersion trained = child(rootEvent, root + "-t", OperationKind.TRAIN, 0.90, 10);
            ModelVersion close = child(trained, root + "-p1", OperationKind.PRUNE, 0.895, 4);
            ModelVersion far = child(trained, root + "-p2", OperationKind.PRUNE, 0.85, 2);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer())) {
                for (ModelVersion v : List.of(trained, close, far)) {
                    producer.send(Topics.versions(topic).record(v)).get();
                }
            }
            awaitVersion(registry, far.getId());

            var table = PipelinesValidateTest.run("versions", "--lineage", root, "--registry", url);
            assertEquals(0, table.exit(), table.err());
            assertTrue(table.out().contains("lineage " + root + " (4 versions)") && table.out().contains(close.getId())
                    && table.out().contains("acc -0.50 pt"), table.out());
            var byVersion = PipelinesValidateTest.run("versions", "--lineage", far.getId(), "--registry", url);
            assertTrue(byVersion.out().contains("lineage " + root + " (4 versions)"), "any version names its lineage: " + byVersion.out());
            var noLineage = PipelinesValidateTest.run("versions", "--lineage", "v-nolineage", "--registry", url);
            assertEquals(1, noLineage.exit(), noLineage.out());
            assertTrue(noLineage.err().contains("no lineage, version or alias 'v-nolineage'"), noLineage.err());
            var json = PipelinesValidateTest.run("versions", "--lineage", root, "--json", "--registry", url);
            assertEquals(4, json.out().trim().split("\n").length);
            assertEquals(root, new ObjectMapper().readTree(json.out().trim().split("\n")[0]).path("id").asText());

            Path best = dir.resolve("best.zip");
            var chosen = PipelinesValidateTest.run("best", "--lineage", root, "--minimize", "latencyMs",
                    "--max-accuracy-drop", "0.01", "-o", best.toString(), "--registry", url);
            assertEquals(0, chosen.exit(), chosen.err());
            assertEquals(close.getId(), chosen.out().split("\n")[0].trim());
            assertArrayEquals(bytes, Files.readAllBytes(best));

            String alias = "production-" + topic.substring(topic.length() - 8);
            var promoted = PipelinesValidateTest.run("promote", close.getId(), "--as", alias, "--bootstrap", kafka.bootstrap(),
                    "--registry", url);
            assertEquals(0, promoted.exit(), promoted.err());
            Path pulled = dir.resolve("production.zip");
            var pull = PipelinesValidateTest.run("pull", alias, "-o", pulled.toString(), "--registry", url);
            assertEquals(0, pull.exit(), pull.err());
            assertArrayEquals(bytes, Files.readAllBytes(pulled));

            var demoted = PipelinesValidateTest.run("demote", alias, "--bootstrap", kafka.bootstrap(), "--registry", url);
            assertEquals(0, demoted.exit(), demoted.err());
            assertTrue(demoted.out().contains(close.getId()), demoted.out());
            var gone = PipelinesValidateTest.run("pull", alias, "-o", pulled.toString(), "--registry", url);
            assertEquals(1, gone.exit());
            assertTrue(gone.err().contains(alias), gone.err());
            assertEquals(close.getId(), new RegistryClient(url).version(close.getId()).getId()); // the version stays
            var twice = PipelinesValidateTest.run("demote", alias, "--bootstrap", kafka.bootstrap(), "--registry", url);
            assertEquals(1, twice.exit());
            assertTrue(twice.err().contains("no alias " + alias), twice.err());

            var badName = PipelinesValidateTest.run("promote", close.getId(), "--as", "v-1", "--registry", url);
            assertEquals(1, badName.exit());
            assertTrue(badName.err().contains("not start with 'v-'"), badName.err());
            var unknown = PipelinesValidateTest.run("pull", "v-nosuchversion", "-o", pulled.toString(), "--registry", url);
            assertEquals(1, unknown.exit());
            assertTrue(unknown.err().contains("404") && unknown.err().contains("v-nosuchversion"), unknown.err());
        }
    }

    private static ModelVersion child(ModelVersion parent, String id, OperationKind kind, double accuracy, double latencyMs) {
        return ModelVersion.newBuilder(parent)
                .setId(id)
                .setParents(List.of(parent.getId()))
                .setStage(kind.name().toLowerCase())
                .setOperation(new Operation(kind, Map.of()))
                .setMetrics(new Metrics("fashion-mnist", Map.of("accuracy", accuracy, "latencyMs", latencyMs)))
                .setChanges(parent.getMetrics().getValues().containsKey("accuracy")
                        ? Map.of("accuracy", accuracy - parent.getMetrics().getValues().get("accuracy")) : Map.of())
                .setCreatedAt(Instant.now())
                .build();
    }

    private static ModelVersion awaitVersion(RegistryService registry, String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (registry.state().version(id).isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the registry never saw " + id);
            }
            Thread.sleep(100);
        }
        return registry.state().version(id).orElseThrow().version();
    }
}
