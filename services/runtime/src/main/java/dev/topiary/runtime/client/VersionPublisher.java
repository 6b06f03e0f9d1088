package dev.topiary.runtime.client;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.LayerSummary;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.runtime.artifact.ArtifactStore;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.kafka.TransactionTimeouts;
import dev.topiary.runtime.stage.VersionIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Publishes a root version (a user's model, or a new architecture): stores its artifact and
 * writes its event in one transaction, so a reader never sees an event without its artifact.
 */
public final class VersionPublisher implements AutoCloseable {
    private final KafkaSettings settings;
    private final ArtifactStore artifacts;
    private final String transactionalId = "topiary-publish-" + UUID.randomUUID();
    private KafkaProducer<String, byte[]> producer;
    private Duration producerTimeout;

    public VersionPublisher(KafkaSettings settings, ArtifactStore artifacts) {
        this.settings = settings;
        this.artifacts = artifacts;
    }

    /** What a root version says about itself; everything else is filled in here. */
    public record RootVersion(byte[] artifact, ModelFormat format, OperationKind kind, String pipeline,
                              Map<String, Double> metrics, String metricsDataset, List<LayerSummary> architecture,
                              Map<String, String> labels) {}

    public ModelVersion publish(RootVersion root, String topic) {
        try (TopicAdmin admin = new TopicAdmin(settings)) {
            admin.ensure(List.of(topic, Topics.ARTIFACTS.name()));
        }
        String id = VersionIds.root();
        fitTimeout(root.artifact().length);
        producer.beginTransaction();
        try {
            ArtifactRef ref = artifacts.put(root.artifact(), root.format(), producer);
            Map<String, Double> metrics = new java.util.TreeMap<>(root.metrics());
            metrics.put(MetricNames.ARTIFACT_BYTES, (double) root.artifact().length);
            metrics.put(MetricNames.GENERATION, 0.0);
            ModelVersion v = ModelVersion.newBuilder()
                    .setId(id)
                    .setParents(List.of())
                    .setLineage(id)
                    .setPipeline(root.pipeline() == null ? "" : root.pipeline())
                    .setStage("publish")
                    .setOperation(new Operation(root.kind(), Map.of()))
                    .setArtifact(ref)
                    .setArchitecture(root.architecture())
                    .setMetrics(new Metrics(root.metricsDataset(), metrics))
                    .setChanges(Map.of())
                    .setCreatedAt(Instant.now())
                    .setProducer(new Producer("cli", Versions.TOPIARY))
                    .setLabels(root.labels())
                    .build();
            producer.send(Topics.versions(topic).record(v));
            producer.commitTransaction();
            return v;
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    /** A producer whose transaction timeout fits the artifact (see {@link TransactionTimeouts}). */
    private void fitTimeout(long artifactBytes) {
        Duration needed = TransactionTimeouts.forArtifact(artifactBytes);
        if (producer != null && needed.equals(producerTimeout)) {
            return;
        }
        close();
        producerTimeout = needed;
        producer = new KafkaProducer<>(settings.transactionalProducer(transactionalId, needed));
        producer.initTransactions();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
