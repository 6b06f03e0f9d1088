package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.FlakyArtifactStore;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code topiary deadletters}: inputs parked while the artifact store was down are listed, and
 * once it is back replayed to their source topic exactly once; a second replay republishes nothing.
 */
class DeadLettersCommandTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void inputsParkedWhileTheStoreWasDownAreListedThenReplayedOnce() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        String bootstrap = kafka.bootstrap();
        StageBinding b = new StageBinding("p", TestBroker.unique("stage"), "test-copy", List.of(in), Set.of(out),
                Map.of(), "none", (m, p) -> out);
        // the store is down for the first two reads, and the stage does not retry: both inputs are parked
        FlakyArtifactStore store = new FlakyArtifactStore(Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES), 2);
        RetryPolicy noRetries = new RetryPolicy(0, Duration.ofMillis(100), Duration.ofMillis(100));
        try (RunningStage stage = new RunningStage(b, RunningStage.copyOf(b), kafka, 1, store, noRetries);
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(kafka.plainProducer());
             TopicReader reader = new TopicReader(kafka)) {
            Set<String> parked = new HashSet<>();
            parked.add(TextModels.publish(kafka, in, "accuracy=0.1").getId());
            parked.add(TextModels.publish(kafka, in, "accuracy=0.2").getId());
            raw.send(new ProducerRecord<>(in, "junk", "not an event".getBytes(StandardCharsets.UTF_8))).get();
            DeadLetterWait.await(kafka, in, 3);

            PipelinesValidateTest.Run listed = PipelinesValidateTest.run("deadletters", "list", in, "--json",
                    "--bootstrap", bootstrap);
            assertEquals(0, listed.exit(), listed.err());
            List<String> lines = listed.out().lines().toList();
            assertEquals(3, lines.size(), listed.out());
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertEquals("transient", first.get("failure").asText());
            assertEquals(in, first.get("sourceTopic").asText());
            assertEquals(in + "/0@0", first.get("source").asText());
            assertEquals("p/" + b.stage(), first.get("stage").asText());
            assertTrue(first.get("reason").asText().contains("unavailable"), first.toString());
            assertTrue(first.get("replayed").isNull());
            assertEquals("bad-input", new ObjectMapper().readTree(lines.get(2)).get("failure").asText());

            PipelinesValidateTest.Run dry = PipelinesValidateTest.run("deadletters", "replay", in + ".dlt",
                    "--where", "store unavailable", "--dry-run", "--bootstrap", bootstrap);
            assertEquals(0, dry.exit(), dry.err());
            assertTrue(dry.err().contains("would replay 2 dead letter(s)"), dry.err());
            assertEquals(3, reader.readAll(in).size(), "a dry run republishes nothing");

            PipelinesValidateTest.Run replay = PipelinesValidateTest.run("deadletters", "replay", in,
                    "--where", "store unavailable", "--bootstrap", bootstrap);
            assertEquals(0, replay.exit(), replay.err());
            assertTrue(replay.err().contains("replayed 2 dead letter(s)"), replay.err());

            // the store is back: the replayed inputs are processed
            reader.open(out, true);
            Set<String> parents = new HashSet<>();
            for (ModelVersion v : reader.awaitVersions(2, v -> true, Duration.ofSeconds(60))) {
                parents.add(v.getParents().get(0));
            }
            assertEquals(parked, parents);

            PipelinesValidateTest.Run again = PipelinesValidateTest.run("deadletters", "replay", in,
                    "--where", "store unavailable", "--bootstrap", bootstrap);
            assertEquals(0, again.exit(), again.err());
            assertTrue(again.err().contains("replayed 0 dead letter(s)"), again.err());
            assertEquals(5, reader.readAll(in).size(), "three originals and two replays, once each");
            Thread.sleep(1000);
            assertEquals(2, reader.readVersions(out).size());

            PipelinesValidateTest.Run table = PipelinesValidateTest.run("deadletters", "list", in, "--bootstrap", bootstrap);
            assertTrue(table.err().contains("3 dead letter(s) on " + in + ".dlt, 1 not replayed"), table.err());
        }
    }

    @Test
    void anUnreachableClusterIsNamedWithTheReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PipelinesValidateTest.Run r = PipelinesValidateTest.run("deadletters", "list", "models.new",
                "--bootstrap", "127.0.0.1:" + port, "--connect-timeout", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot reach Kafka at 127.0.0.1:" + port) && r.err().contains("Connection refused"),
                r.err());
    }
}
