package dev.topiary.runtime.stage;

import static dev.topiary.runtime.testing.DeadLetterWait.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.FlakyArtifactStore;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Transient faults are retried by seeking back, with nothing committed, and the input is
 * processed once afterwards; only when the retries are spent is it dead-lettered, saying so.
 */
class TransientFaultTest {
    private static final RetryPolicy QUICK = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(400));

    private final KafkaSettings kafka = TestBroker.settings();

    private static StageBinding binding(String in, String out) {
        return new StageBinding("p", TestBroker.unique("stage"), "test-copy", List.of(in), Set.of(out), Map.of(), "none",
                (m, p) -> out);
    }

    @Test
    void aStoreThatFailsForAWhileDelaysTheInputsButLosesAndRepeatsNothing() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        StageBinding b = binding(in, out);
        FlakyArtifactStore store = new FlakyArtifactStore(Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES), 3);
        try (RunningStage stage = new RunningStage(b, RunningStage.copyOf(b), kafka, 1, store, QUICK);
             TopicReader reader = new TopicReader(kafka)) {
            ModelVersion first = TextModels.publish(kafka, in, "accuracy=0.1");
            ModelVersion second = TextModels.publish(kafka, in, "accuracy=0.2");
            reader.open(out, true);
            List<ModelVersion> versions = reader.awaitVersions(2, v -> true, Duration.ofSeconds(60));

            assertEquals(List.of(first.getId()), versions.get(0).getParents(), "order kept: the failed input came first");
            assertEquals(List.of(second.getId()), versions.get(1).getParents());
            assertEquals(5, store.reads(), "three failed reads of the first input, then one read each");
            Thread.sleep(1000); // room for a duplicate to show up, were there one
            assertEquals(2, reader.readVersions(out).size());
            assertEquals(2, stage.runner().processedCount());
            try (TopicReader dlt = new TopicReader(kafka)) {
                assertEquals(0, dlt.readAll(Topics.deadLetterOf(in)).size(), "nothing dead-lettered");
            }
        }
    }

    @Test
    void whenTheRetriesAreSpentTheInputIsDeadLetteredWithTheCountAndTheLastError() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        StageBinding b = binding(in, out);
        FlakyArtifactStore store = new FlakyArtifactStore(Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES), Integer.MAX_VALUE);
        try (RunningStage stage = new RunningStage(b, RunningStage.copyOf(b), kafka, 1, store, QUICK.withMaxRetries(2));
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(kafka.plainProducer())) {
            raw.send(new ProducerRecord<>(in, "junk", "not an event".getBytes(StandardCharsets.UTF_8))).get();
            TextModels.publish(kafka, in, "accuracy=0.3");

            List<ConsumerRecord<String, byte[]>> dead = DeadLetterWait.await(kafka, in, 2);
            assertEquals("bad-input", header(dead.get(0), DeadLetterHeaders.FAILURE));
            assertEquals("0", header(dead.get(0), DeadLetterHeaders.RETRIES), "bad input is not retried");

            ConsumerRecord<String, byte[]> parked = dead.get(1);
            assertEquals("transient", header(parked, DeadLetterHeaders.FAILURE));
            assertEquals("2", header(parked, DeadLetterHeaders.RETRIES));
            assertEquals("1", header(parked, DeadLetterHeaders.SOURCE_OFFSET));
            assertTrue(header(parked, DeadLetterHeaders.ERROR).contains("read 3 of"), header(parked, DeadLetterHeaders.ERROR));
            assertEquals(3, store.reads(), "one attempt and two retries");
        }
    }

    @Test
    void anOutOfMemoryErrorIsRetriedOnceThenParked() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        StageBinding b = binding(in, out);
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        Transformation copy = RunningStage.copyOf(b);
        Transformation hungry = input -> {
            String text = new String(input.artifact(), StandardCharsets.UTF_8);
            int n = calls.merge(text, 1, Integer::sum);
            if (text.contains("always") || n == 1) {
                throw new OutOfMemoryError("test: Java heap space");
            }
            return copy.apply(input);
        };
        try (RunningStage stage = new RunningStage(b, hungry, kafka, 1, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES), QUICK);
             TopicReader reader = new TopicReader(kafka)) {
            ModelVersion once = TextModels.publish(kafka, in, "accuracy=0.4;once");
            TextModels.publish(kafka, in, "accuracy=0.5;always");
            reader.open(out, true);
            assertEquals(List.of(once.getId()), reader.awaitVersions(1, v -> true, Duration.ofSeconds(60)).get(0).getParents());

            ConsumerRecord<String, byte[]> parked = DeadLetterWait.await(kafka, in, 1).get(0);
            assertEquals("out-of-memory", header(parked, DeadLetterHeaders.FAILURE));
            assertEquals("1", header(parked, DeadLetterHeaders.RETRIES));
            assertEquals(2, calls.get("accuracy=0.5;always"));
        }
    }
}
