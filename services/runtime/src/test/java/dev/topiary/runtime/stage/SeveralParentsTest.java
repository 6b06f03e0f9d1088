package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.pipeline.Condition;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A stage whose input records each name two parent versions (as a merge behind a gatherer will
 * see them): the new version's id, parents, artifact and changes do not depend on the order the
 * parents arrive in, its parent-accuracy metrics route it, and a single-parent kind fed such a
 * record refuses it by name.
 */
class SeveralParentsTest {
    private final KafkaSettings kafka = TestBroker.settings();

    /** Test-only entry point: a record holding several encoded versions, each length-prefixed. */
    static final InputDecoder FRAMED = (topic, value) -> {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int count = in.readInt();
            List<ModelVersion> versions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                versions.add(Topics.versions(topic).decode(in.readNBytes(in.readInt())));
            }
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    static byte[] frame(ModelVersion... versions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(versions.length);
            for (ModelVersion v : versions) {
                byte[] encoded = Topics.versions("any").encode(v);
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Joins the parents' texts in the order it is given them; one point of accuracy above the best parent. */
    private static final Transformation JOIN = input -> {
        String text = input.parents().stream().map(p -> new String(p.artifact(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("+"));
        double best = input.parents().stream()
                .mapToDouble(p -> p.version().getMetrics().getValues().get(MetricNames.ACCURACY)).max().orElseThrow();
        return new StageOutput(OperationKind.MERGE, text.getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE,
                Map.of(MetricNames.ACCURACY, best + 0.01), "none", List.of(), Map.of());
    };

    @Test
    void theNewVersionIsTheSameWhateverOrderItsParentsArriveIn() throws Exception {
        String roots = TestBroker.unique("roots");
        String in = TestBroker.unique("pairs");
        String better = TestBroker.unique("better");
        String worse = TestBroker.unique("worse");
        Condition improved = Condition.parse("accuracy > bestParentAccuracy");
        StageBinding binding = new StageBinding("p", TestBroker.unique("join"), "test-join", List.of(in),
                Set.of(better, worse), Map.of(), "none", (m, parent) -> improved.test(m, parent) ? better : worse, FRAMED);
        ModelVersion a = withMetrics(TextModels.publish(kafka, roots, "a"), 0.80, 2.0);
        ModelVersion b = withMetrics(TextModels.publish(kafka, roots, "b"), 0.90, 0.0);
        ModelVersion first = a.getId().compareTo(b.getId()) < 0 ? a : b;
        ModelVersion second = first == a ? b : a;

        try (RunningStage stage = new RunningStage(binding, JOIN, kafka, 1);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer());
             TopicReader reader = new TopicReader(kafka)) {
            producer.send(new ProducerRecord<>(in, "pair", frame(a, b))).get();
            producer.send(new ProducerRecord<>(in, "pair", frame(b, a))).get();
            reader.open(better, true);
            List<ModelVersion> out = reader.awaitVersions(2, v -> true, Duration.ofSeconds(60));

            ModelVersion one = out.get(0);
            ModelVersion other = out.get(1);
            assertEquals(one.getId(), other.getId(), "the parents' order does not change the id");
            assertEquals(VersionIds.derive(List.of(b.getId(), a.getId()), "p", binding.stage(), Map.of()), one.getId());
            assertEquals(List.of(first.getId(), second.getId()), one.getParents(), "all parents, sorted by id");
            assertEquals(one.getParents(), other.getParents());
            assertEquals(one.getArtifact().getSha256(), other.getArtifact().getSha256(), "the transformation saw one order");
            byte[] joined = Artifacts.kafka(kafka, 1 << 20).get(one.getArtifact());
            assertArrayEquals((text(first) + "+" + text(second)).getBytes(StandardCharsets.UTF_8), joined);
            assertEquals(first.getLineage(), one.getLineage(), "lineage (and record key) of the first parent");

            Map<String, Double> m = one.getMetrics().getValues();
            assertEquals(0.90, m.get(MetricNames.BEST_PARENT_ACCURACY), 1e-12);
            assertEquals(0.85, m.get(MetricNames.MEAN_PARENT_ACCURACY), 1e-12);
            assertEquals(2.0, m.get(MetricNames.GENERATION), 0.0, "the parents' highest generation, no grow");
            double firstAccuracy = first.getMetrics().getValues().get(MetricNames.ACCURACY);
            assertEquals(0.91 - firstAccuracy, one.getChanges().get(MetricNames.ACCURACY), 1e-12,
                    "changes are against the first parent by id");
            assertEquals(0, reader.readVersions(worse).size());
        }
    }

    @Test
    void aSingleParentKindRefusesARecordWithTwoParents() throws Exception {
        String roots = TestBroker.unique("roots");
        String in = TestBroker.unique("pairs");
        String out = TestBroker.unique("out");
        StageBinding binding = new StageBinding("p", TestBroker.unique("copy"), "test-copy", List.of(in), Set.of(out),
                Map.of(), "none", (m, parent) -> out, FRAMED);
        ModelVersion a = TextModels.publish(kafka, roots, "accuracy=0.8");
        ModelVersion b = TextModels.publish(kafka, roots, "accuracy=0.9");
        try (RunningStage stage = RunningStage.copy(binding, kafka, 1);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer())) {
            producer.send(new ProducerRecord<>(in, "pair", frame(a, b))).get();
            String reason = DeadLetterWait.header(DeadLetterWait.await(kafka, in, 1).get(0), "topiary.error");
            assertTrue(reason.contains("takes one parent version, but this input has 2") && reason.contains(a.getId()),
                    reason);
        }
    }

    @Test
    void generationIsInheritedAndAGrowAddsOne() {
        ModelVersion root = version("v-root", Map.of());
        ModelVersion grown = version("v-grown", Map.of(MetricNames.GENERATION, 1.0));
        ModelVersion twice = version("v-twice", Map.of(MetricNames.GENERATION, 2.0));
        assertEquals(1.0, StageWork.generation(List.of(root), OperationKind.GROW), "a first grow gives 1");
        assertEquals(1.0, StageWork.generation(List.of(grown), OperationKind.PRUNE), "inherited unchanged");
        assertEquals(3.0, StageWork.generation(List.of(grown, twice), OperationKind.GROW), "the parents' highest, +1");
        assertEquals(2.0, StageWork.generation(List.of(grown, twice), OperationKind.MERGE));
    }

    private static ModelVersion version(String id, Map<String, Double> metrics) {
        return ModelVersion.newBuilder().setId(id).setParents(List.of()).setLineage(id).setPipeline("p").setStage("s")
                .setOperation(new dev.topiary.events.Operation(OperationKind.NEW, Map.of()))
                .setArtifact(new dev.topiary.events.ArtifactRef("file:///x", "00", 0L, ModelFormat.OPAQUE))
                .setMetrics(new Metrics(null, metrics)).setCreatedAt(java.time.Instant.EPOCH)
                .setProducer(new dev.topiary.events.Producer("test", "0")).build();
    }

    /** The metrics the test reasons about, as an upstream stage would have measured them. */
    private static ModelVersion withMetrics(ModelVersion v, double accuracy, double generation) {
        Map<String, Double> metrics = new java.util.TreeMap<>(v.getMetrics().getValues());
        metrics.put(MetricNames.ACCURACY, accuracy);
        metrics.put(MetricNames.GENERATION, generation);
        return ModelVersion.newBuilder(v).setMetrics(new Metrics(null, metrics)).build();
    }

    private static String text(ModelVersion v) {
        return new String(Artifacts.kafka(TestBroker.settings(), 1 << 20).get(v.getArtifact()), StandardCharsets.UTF_8);
    }
}
