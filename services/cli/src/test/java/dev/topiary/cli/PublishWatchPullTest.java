package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.runtime.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's round trip through the CLI on the real embedded broker: publish, watch --json, pull. */
class PublishWatchPullTest {
    @Test
    void publishedModelIsWatchedAsJsonAndPulledBackVerified(@TempDir Path dir) throws Exception {
        String bootstrap = TestBroker.settings().bootstrap();
        String topic = TestBroker.unique("cli");
        Path model = dir.resolve("model.zip");
        byte[] bytes = ModelArtifacts.save(ModelFactory.mlp(3, new int[] {20, 8, 3}), true);
        Files.write(model, bytes);

        PipelinesValidateTest.Run published = PipelinesValidateTest.run("publish", model.toString(), "--to", topic,
                "--bootstrap", bootstrap);
        assertEquals(0, published.exit(), published.err());
        String id = published.out().trim();
        assertTrue(id.startsWith("v-"), id);

        PipelinesValidateTest.Run watched = PipelinesValidateTest.run("watch", topic, "--from-beginning", "--count", "1",
                "--json", "--bootstrap", bootstrap);
        assertEquals(0, watched.exit(), watched.err());
        JsonNode json = new ObjectMapper().readTree(watched.out().trim());
        assertEquals(id, json.get("id").asText());
        assertEquals(0, json.get("parents").size());
        assertEquals("IMPORT", json.get("operation").get("kind").asText());
        assertEquals(20 * 8 + 8 + 8 * 3 + 3, json.get("metrics").get("params").asInt());
        assertEquals(bytes.length, json.get("metrics").get("artifactBytes").asInt());
        assertEquals(64, json.get("artifact").get("sha256").asText().length());
        assertTrue(json.has("pipeline") && json.has("stage"));

        Path pulled = dir.resolve("pulled.zip");
        PipelinesValidateTest.Run pull = PipelinesValidateTest.run("pull", id, "--from", topic, "-o", pulled.toString(),
                "--bootstrap", bootstrap);
        assertEquals(0, pull.exit(), pull.err());
        assertArrayEquals(bytes, Files.readAllBytes(pulled));
    }

    @Test
    void publishingAFileThatIsNotAModelFailsAndPublishesNothing(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("notes.zip");
        Files.writeString(junk, "these are not weights");
        String topic = TestBroker.unique("never");
        PipelinesValidateTest.Run r = PipelinesValidateTest.run("publish", junk.toString(), "--to", topic,
                "--bootstrap", TestBroker.settings().bootstrap());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(junk.toString()) && r.err().contains("not a loadable DL4J model"), r.err());
        try (var admin = new dev.topiary.runtime.kafka.TopicAdmin(TestBroker.settings())) {
            assertTrue(!admin.admin().listTopics().names().get().contains(topic), "nothing was published");
        }
    }
}
