package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Bad input reaches the dead-letter topic with its reason, and the partition moves on. */
class DeadLetterTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void garbageAndCorruptArtifactsAreDeadLetteredAndTheNextGoodEventIsProcessed() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        String staging = TestBroker.unique("staging");
        StageBinding b = new StageBinding("p", "copy", "test-copy", List.of(in), Set.of(out), Map.of("failOn", "explode"),
                "none", (m, p) -> out);
        try (RunningStage stage = RunningStage.copy(b, kafka, 1);
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(kafka.plainProducer());
             TopicReader outReader = new TopicReader(kafka);
             TopicReader dltReader = new TopicReader(kafka)) {
            raw.send(new ProducerRecord<>(in, "junk", "this is not avro".getBytes(StandardCharsets.UTF_8))).get();

            // a real event whose artifact hash does not match the stored bytes
            ModelVersion stored = TextModels.publish(kafka, staging, "accuracy=0.7");
            ArtifactRef original = stored.getArtifact();
            String wrongSha = "0".repeat(64);
            ModelVersion tampered = ModelVersion.newBuilder(stored)
                    .setArtifact(new ArtifactRef(original.getUri(), wrongSha, original.getSizeBytes(), original.getFormat()))
                    .build();
            raw.send(new ProducerRecord<>(in, tampered.getLineage(), Events.MODEL_VERSION.encode(tampered))).get();

            // a transformation's own error
            TextModels.publish(kafka, in, "accuracy=0.1;explode=1");

            ModelVersion good = TextModels.publish(kafka, in, "accuracy=0.8");

            outReader.open(out, true);
            ModelVersion v = outReader.awaitVersions(1, x -> true, Duration.ofSeconds(60)).get(0);
            assertEquals(List.of(good.getId()), v.getParents());

            List<ConsumerRecord<String, byte[]>> dead = dltReader.readAll(Topics.deadLetterOf(in));
            assertEquals(3, dead.size());
            assertEquals("this is not avro", new String(dead.get(0).value(), StandardCharsets.UTF_8),
                    "the dead letter keeps the original bytes");
            assertTrue(header(dead.get(0), "topiary.error").contains("not an Avro single-object encoded event"),
                    header(dead.get(0), "topiary.error"));
            assertEquals(in, header(dead.get(0), "topiary.source.topic"));
            assertEquals("0", header(dead.get(0), "topiary.source.partition"));
            assertEquals("0", header(dead.get(0), "topiary.source.offset"));
            assertEquals("p/copy", header(dead.get(0), "topiary.stage"));
            assertEquals("bad-input", header(dead.get(0), "topiary.failure"));
            assertEquals("0", header(dead.get(0), "topiary.retries"));

            String hashError = header(dead.get(1), "topiary.error");
            assertTrue(hashError.contains(wrongSha) && hashError.contains(original.getSha256()), hashError);
            assertEquals("1", header(dead.get(1), "topiary.source.offset"));

            assertTrue(header(dead.get(2), "topiary.error").contains("artifact asks to fail"));
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
