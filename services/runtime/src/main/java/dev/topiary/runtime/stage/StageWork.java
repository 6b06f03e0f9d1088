package dev.topiary.runtime.stage;

import dev.topiary.events.Metrics;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.runtime.artifact.ArtifactStore;
import dev.topiary.runtime.metrics.MetricNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka-free half of a stage: decode the input into its parent versions, fetch and verify
 * their artifacts, transform (holding the process's {@link ModelWorkLease}), measure, and decide
 * where the result goes (a {@link StageReport} goes nowhere but the progress topic). Runs off the
 * poll thread; every failure becomes an {@link Outcome.DeadLetter} carrying a message that says
 * what was wrong, which the runner retries or dead-letters by its {@link FailureKind}.
 *
 * <p>Several parents: they are sorted by id before anything else, so the output id, what the
 * transformation sees and the event are the same whatever order they arrived in. The first in
 * that order is the reference parent: {@code changes}, {@code accuracyDrop} and the version's
 * lineage (hence its record key) come from it; {@code parents} lists them all.
 *
 * <p>Matrix jobs: a record of a matrix stage's jobs topic names its combination
 * ({@link MatrixJob}); the job runs with the stage's params overridden by it, through the
 * transformation made for those params, and its output's id and {@code operation.params} derive
 * from them and the combination.
 */
final class StageWork implements RecordWork {
    private final StageBinding binding;
    private final Function<StageParams, Transformation> transformations;
    /** One transformation per distinct params (a matrix's combinations), made on first use. */
    private final Map<String, Transformation> made = new ConcurrentHashMap<>();
    private final RecentArtifacts recent = new RecentArtifacts();
    private final ArtifactStore artifacts;
    private final long maxArtifactBytes;
    private final Producer producer;
    private final ProgressPublisher progress;

    StageWork(StageBinding binding, Function<StageParams, Transformation> transformations, ArtifactStore artifacts,
              long maxArtifactBytes, Producer producer, ProgressPublisher progress) {
        this.binding = binding;
        this.transformations = transformations;
        this.artifacts = artifacts;
        this.maxArtifactBytes = maxArtifactBytes;
        this.producer = producer;
        this.progress = progress;
    }

    @Override
    public Outcome process(ConsumerRecord<String, byte[]> record, Cancellation cancellation) {
        List<ModelVersion> parents;
        MatrixJob job;
        Map<String, Object> params;
        Map<String, Object> identity;
        try {
            parents = sorted(binding.decoder().parents(record.topic(), record.value()));
            job = binding.fanout() instanceof Fanout.Jobs ? MatrixJob.from(record.headers()) : null;
            params = job == null ? binding.params() : job.params(binding.params());
            identity = job == null ? params : job.identity(binding.params());
        } catch (RuntimeException e) {
            return new Outcome.DeadLetter(describe(e), e);
        }
        ModelVersion first = parents.get(0);
        String outputId = VersionIds.derive(parents.stream().map(ModelVersion::getId).toList(), binding.pipeline(),
                binding.stage(), identity);
        ProgressReporter reporter = progress.reporterFor(outputId, first.getId(), binding, job);
        try {
            Transformation transformation = made.computeIfAbsent(VersionIds.canonicalJson(params),
                    k -> transformations.apply(new StageParams(binding.stage(), params)));
            List<StageInput.Parent> loaded = new ArrayList<>();
            for (ModelVersion parent : parents) {
                loaded.add(new StageInput.Parent(parent, recent.get(parent.getArtifact(), artifacts::get)));
            }
            StageInput input = new StageInput(loaded, outputId, binding.pipeline(), binding.stage(), params,
                    binding.dataset(), reporter, cancellation, binding.decoder().gathered(record.topic(), record.value()));
            StageResult result;
            try (ModelWorkLease.Held lease = ModelWorkLease.acquire(binding.pipeline() + "/" + binding.stage() + " "
                    + outputId, cancellation::isCancelled)) {
                result = transformation.apply(input);
            }
            if (cancellation.isCancelled()) {
                return new Outcome.Abandoned();
            }
            if (result instanceof StageReport report) {
                return new Outcome.Report(report.summary(), outputId, first, job);
            }
            StageOutput out = (StageOutput) result;
            if (out.artifact().length > maxArtifactBytes) {
                throw new IllegalStateException("the new artifact is " + out.artifact().length
                        + " bytes, over the configured maximum of " + maxArtifactBytes);
            }
            return publish(parents, outputId, identity, job, out);
        } catch (Cancellation.JobCancelledException e) {
            return new Outcome.Abandoned();
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            if (cancellation.isCancelled()) {
                return new Outcome.Abandoned();
            }
            progress.failed(outputId, first.getId(), binding, job, e.toString());
            return new Outcome.DeadLetter(describe(e), e);
        }
    }

    /** By id, refusing an empty set and a version listed twice. */
    static List<ModelVersion> sorted(List<ModelVersion> parents) {
        if (parents == null || parents.isEmpty()) {
            throw new IllegalArgumentException("the input record names no parent version");
        }
        Set<String> seen = new HashSet<>();
        for (ModelVersion v : parents) {
            if (!seen.add(v.getId())) {
                throw new IllegalArgumentException("version " + v.getId() + " is listed twice among the parents");
            }
        }
        List<ModelVersion> copy = new ArrayList<>(parents);
        copy.sort(Comparator.comparing(ModelVersion::getId));
        return copy;
    }

    private Outcome.Publish publish(List<ModelVersion> parents, String outputId, Map<String, Object> identity, MatrixJob job,
                                    StageOutput out) {
        ModelVersion first = parents.get(0);
        Map<String, Double> parentMetrics = metricsOf(first);
        Map<String, Double> metrics = new TreeMap<>(out.metrics());
        metrics.put(MetricNames.ARTIFACT_BYTES, (double) out.artifact().length);
        metrics.put(MetricNames.GENERATION, generation(parents, out.kind()));
        if (parents.size() > 1) {
            List<Double> accuracies = parents.stream().map(p -> metricsOf(p).get(MetricNames.ACCURACY))
                    .filter(a -> a != null && !a.isNaN()).toList();
            if (!accuracies.isEmpty()) {
                metrics.put(MetricNames.BEST_PARENT_ACCURACY, accuracies.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
                metrics.put(MetricNames.MEAN_PARENT_ACCURACY, accuracies.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
            }
        }
        Map<String, Double> changes = new TreeMap<>();
        metrics.forEach((k, v) -> {
            Double before = parentMetrics.get(k);
            if (before != null) {
                changes.put(k, v - before);
            }
        });
        String topic = binding.router().select(metrics, parentMetrics);
        Map<String, String> labels = new HashMap<>();
        for (int i = parents.size() - 1; i >= 0; i--) {
            labels.putAll(parents.get(i).getLabels()); // the first parent's labels win
        }
        if (out.labels() != null) {
            out.labels().forEach((k, v) -> {
                if (v == null) {
                    labels.remove(k); // honoured by this stage, so not passed on
                } else {
                    labels.put(k, v);
                }
            });
        }
        ModelVersion.Builder event = ModelVersion.newBuilder()
                .setId(outputId)
                .setParents(parents.stream().map(ModelVersion::getId).toList())
                .setLineage(first.getLineage())
                .setPipeline(binding.pipeline())
                .setStage(binding.stage())
                .setOperation(new Operation(out.kind(), VersionIds.canonicalParams(identity)))
                .setArchitecture(out.architecture() == null ? List.of() : out.architecture())
                .setMetrics(new Metrics(out.metricsDataset(), metrics))
                .setChanges(changes)
                .setCreatedAt(Instant.now())
                .setProducer(producer)
                .setLabels(labels)
                .setSelectionSplit(out.selectionSplit());
        return new Outcome.Publish(topic, event, out.artifact(), out.format(), first, job);
    }

    /** The parents' highest generation, one more for a grow; a parent from before generations counts as 0. */
    static double generation(List<ModelVersion> parents, OperationKind kind) {
        double inherited = parents.stream().mapToDouble(p -> metricsOf(p).getOrDefault(MetricNames.GENERATION, 0.0))
                .max().orElse(0);
        return kind == OperationKind.GROW ? inherited + 1 : inherited;
    }

    private static Map<String, Double> metricsOf(ModelVersion v) {
        return v.getMetrics() == null ? Map.of() : v.getMetrics().getValues();
    }

    /** The message, with the exception type where the message alone would be cryptic. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }
}
