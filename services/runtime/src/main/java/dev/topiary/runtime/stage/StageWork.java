package dev.topiary.runtime.stage;

import dev.topiary.events.Metrics;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.Producer;
import dev.topiary.runtime.artifact.ArtifactStore;
import dev.topiary.runtime.events.Events;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka-free half of a stage: decode the input, fetch and verify its artifact, transform,
 * measure, and decide where the result goes. Runs off the poll thread; every failure becomes an
 * {@link Outcome.DeadLetter} carrying a message that says what was wrong, which the runner retries
 * or dead-letters by its {@link FailureKind}.
 */
final class StageWork {
    private final StageBinding binding;
    private final Transformation transformation;
    private final ArtifactStore artifacts;
    private final long maxArtifactBytes;
    private final Producer producer;
    private final ProgressPublisher progress;

    StageWork(StageBinding binding, Transformation transformation, ArtifactStore artifacts, long maxArtifactBytes,
              Producer producer, ProgressPublisher progress) {
        this.binding = binding;
        this.transformation = transformation;
        this.artifacts = artifacts;
        this.maxArtifactBytes = maxArtifactBytes;
        this.producer = producer;
        this.progress = progress;
    }

    Outcome process(ConsumerRecord<String, byte[]> record, Cancellation cancellation) {
        ModelVersion input;
        try {
            input = Events.MODEL_VERSION.decode(record.value());
        } catch (RuntimeException e) {
            return new Outcome.DeadLetter(e.getMessage(), e);
        }
        String outputId = VersionIds.derive(List.of(input.getId()), binding.pipeline(), binding.stage(), binding.params());
        ProgressReporter reporter = progress.reporterFor(outputId, input.getId(), binding);
        try {
            byte[] artifact = artifacts.get(input.getArtifact());
            StageOutput out = transformation.apply(new StageInput(input, artifact, outputId, binding.pipeline(),
                    binding.stage(), binding.params(), binding.dataset(), reporter, cancellation));
            if (cancellation.isCancelled()) {
                return new Outcome.Abandoned();
            }
            if (out.artifact().length > maxArtifactBytes) {
                throw new IllegalStateException("the new artifact is " + out.artifact().length
                        + " bytes, over the configured maximum of " + maxArtifactBytes);
            }
            return publish(input, outputId, out);
        } catch (Cancellation.JobCancelledException e) {
            return new Outcome.Abandoned();
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            if (cancellation.isCancelled()) {
                return new Outcome.Abandoned();
            }
            progress.failed(outputId, input.getId(), binding, e.toString());
            return new Outcome.DeadLetter(describe(e), e);
        }
    }

    private Outcome.Publish publish(ModelVersion input, String outputId, StageOutput out) {
        Map<String, Double> metrics = new TreeMap<>(out.metrics());
        metrics.put("artifactBytes", (double) out.artifact().length);
        Map<String, Double> parentMetrics = input.getMetrics() == null ? Map.of() : input.getMetrics().getValues();
        Map<String, Double> changes = new TreeMap<>();
        metrics.forEach((k, v) -> {
            Double before = parentMetrics.get(k);
            if (before != null) {
                changes.put(k, v - before);
            }
        });
        String topic = binding.router().select(metrics, parentMetrics);
        Map<String, String> labels = new HashMap<>(input.getLabels());
        labels.putAll(out.labels() == null ? Map.of() : out.labels());
        ModelVersion.Builder event = ModelVersion.newBuilder()
                .setId(outputId)
                .setParents(List.of(input.getId()))
                .setLineage(input.getLineage())
                .setPipeline(binding.pipeline())
                .setStage(binding.stage())
                .setOperation(new Operation(out.kind(), VersionIds.canonicalParams(binding.params())))
                .setArchitecture(out.architecture() == null ? List.of() : out.architecture())
                .setMetrics(new Metrics(out.metricsDataset(), metrics))
                .setChanges(changes)
                .setCreatedAt(Instant.now())
                .setProducer(producer)
                .setLabels(labels);
        return new Outcome.Publish(topic, event, out.artifact(), out.format(), input);
    }

    /** The message, with the exception type where the message alone would be cryptic. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }
}
