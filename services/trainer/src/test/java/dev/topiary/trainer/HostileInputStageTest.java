package dev.topiary.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.HostileModels;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.events.HostileEvents;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hundred hostile inputs through a train stage on the real broker: damaged model zips (published
 * as a client would, with their true hashes) and damaged event records (written by a plain
 * producer). Every one ends as a trained version (it loaded) or a dead letter with a reason (NaN
 * and Inf weights naming their layer); the stage's process survives them all and then trains a
 * good model.
 */
class HostileInputStageTest {
    private static final HostileModels.Kind[] MODEL_KINDS = {HostileModels.Kind.TRUNCATED,
            HostileModels.Kind.BIT_FLIP_ZIP, HostileModels.Kind.RENAMED_ENTRY, HostileModels.Kind.DUPLICATED_ENTRY,
            HostileModels.Kind.NAN_WEIGHT, HostileModels.Kind.INF_WEIGHT, HostileModels.Kind.WRONG_SHAPE,
            HostileModels.Kind.UNKNOWN_CLASS, HostileModels.Kind.ABSURD_SIZE, HostileModels.Kind.ZIP_BOMB};
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void everyHostileInputEndsAsAVersionOrADeadLetterAndTheStageGoesOn(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("hostile").replace('-', '_');
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                pipeline: %1$s
                dataset: fashion-mnist-small?train=200&test=100
                topics:
                  partitions: 2
                stages:
                  - name: train
                    uses: train
                    from: %1$s.in
                    to: %1$s.out
                    with: {epochs: 1, batchSize: 100, seed: 1}
                """.formatted(p));
        PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.available().keySet());
        HostileModels models = new HostileModels(List.of(ModelFactory.mlp(784, 16, 10),
                ModelFactory.resmlp(784, 8, 1, 10, 3)), 16);
        MultiLayerNetwork good = ModelFactory.mlp(2, new int[] {784, 12, 10});

        Map<String, HostileModels.Mutant> byId = new HashMap<>();
        Map<HostileModels.Kind, Integer> modelCounts = new EnumMap<>(HostileModels.Kind.class);
        int events = 0;
        // two instances share the two partitions, as two service processes would
        try (ServiceHost host = new ServiceHost(set, ServiceKinds.available(), kafka, ArtifactOptions.DEFAULT, "f1");
             ServiceHost second = new ServiceHost(set, ServiceKinds.available(), kafka, ArtifactOptions.DEFAULT, "f2");
             VersionPublisher publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES));
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(kafka.plainProducer());
             TopicReader out = new TopicReader(kafka)) {
            for (int i = 0; i < 60; i++) {
                HostileModels.Mutant m = models.next(MODEL_KINDS[i % MODEL_KINDS.length]);
                ModelVersion v = publisher.publish(new VersionPublisher.RootVersion(m.zip(),
                        ModelFormat.DL4J_MULTI_LAYER_NETWORK, OperationKind.IMPORT, "test", Map.of(), null, List.of(),
                        Map.of()), p + ".in");
                byId.put(v.getId(), m);
                modelCounts.merge(m.kind(), 1, Integer::sum);
            }
            // the damaged events are made from a real one, which the stage also trains
            HostileEvents hostileEvents = new HostileEvents(Events.MODEL_VERSION.encode(publisher.publish(
                    ModelEvents.root(good, ModelArtifacts.save(good, true), OperationKind.NEW, Map.of()), p + ".in")), 16);
            // no plain bit flips here: most still decode to the real event, and each of those costs a training run
            HostileEvents.Kind[] eventKinds = java.util.Arrays.stream(HostileEvents.Kind.values())
                    .filter(k -> k != HostileEvents.Kind.BIT_FLIP).toArray(HostileEvents.Kind[]::new);
            for (; events < 40; events++) {
                HostileEvents.Kind kind = eventKinds[events % eventKinds.length];
                raw.send(new ProducerRecord<>(p + ".in", "hostile-" + events, hostileEvents.next(kind).value()));
            }
            raw.flush();
            ModelVersion goodRoot = publisher.publish(ModelEvents.root(good, ModelArtifacts.save(good, true),
                    OperationKind.NEW, Map.of()), p + ".in");

            out.open(p + ".out", true);
            List<ModelVersion> trained = out.awaitVersions(1, v -> v.getParents().contains(goodRoot.getId()),
                    Duration.ofMinutes(4));
            assertEquals(OperationKind.TRAIN, trained.get(0).getOperation().getKind());

            // every input is accounted for: a version from it, or a dead letter (the other partition may lag a little)
            int total = byId.size() + events + 2;
            List<ConsumerRecord<String, byte[]>> dead;
            List<ModelVersion> outputs;
            long deadline = System.currentTimeMillis() + 120_000;
            do {
                Thread.sleep(500);
                try (TopicReader reader = new TopicReader(kafka)) {
                    dead = reader.readAll(dev.topiary.runtime.kafka.Topics.deadLetterOf(p + ".in"));
                    outputs = reader.readVersions(p + ".out");
                }
            } while (dead.size() + outputs.size() < total && System.currentTimeMillis() < deadline);
            assertEquals(total, dead.size() + outputs.size(), dead.size() + " dead letters + " + outputs.size()
                    + " versions for " + total + " inputs");
            int namedLayers = 0;
            for (ConsumerRecord<String, byte[]> d : dead) {
                String reason = DeadLetterWait.header(d, "topiary.error");
                assertFalse(reason == null || reason.isBlank(), "a dead letter without a reason");
                if (d.key() != null && !d.key().startsWith("hostile-")) {
                    HostileModels.Mutant m = byId.get(Events.MODEL_VERSION.decode(d.value()).getId());
                    if (m != null && m.layer() != null) {
                        assertTrue(reason.contains("'" + m.layer() + "'"), m.description() + ": " + reason);
                        namedLayers++;
                    }
                }
            }
            for (ModelVersion v : outputs) {
                HostileModels.Mutant m = byId.get(v.getParents().get(0));
                assertTrue(m == null || m.layer() == null, "non-finite weights were trained: " + (m == null ? "" : m.description()));
            }
            System.out.printf("[HostileInputStageTest] %d damaged model zips %s and %d damaged events through a train stage:"
                    + " %d dead letters (%d naming the layer with NaN/Inf weights), %d trained versions (the two good ones included)%n",
                    byId.size(), modelCounts, events, dead.size(), namedLayers, outputs.size());
        }
    }
}
