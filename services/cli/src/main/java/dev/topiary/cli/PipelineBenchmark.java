package dev.topiary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.gatherer.GathererKind;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.pipeline.Gather;
import dev.topiary.runtime.pipeline.GroupBy;
import dev.topiary.runtime.pipeline.Matrix;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.StageSpec;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.stage.Cancellation;
import dev.topiary.runtime.stage.ProgressReporter;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.stage.StageInput;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.StageOutput;
import dev.topiary.runtime.stage.Transformation;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code topiary bench pipeline}: what the chassis itself costs. Inputs go through
 * {@code matrix} of 4 → {@code gather {by: parent, count: 4}} → a stage, on the embedded broker in
 * one process (as {@code topiary up} runs it), each job spinning a CPU for the given time
 * ({@link SpinKind}, no DL4J); the same transformations are then called directly in one loop.
 * Reported: the wall-time ratio, versions per second, the latency from an input's publish to its
 * gathered stage's output (p50, p99, all inputs published at once; and for one input alone in the
 * idle pipeline), and a bare transaction commit's time, the floor of any exactly-once step. Two
 * inputs go through first to warm up and are not counted.
 */
final class PipelineBenchmark {
    private static final int MATRIX = 4;
    private static final int WARM_UP = 2;
    /** Inputs sent one at a time into the idle pipeline: the latency of the chassis without a queue. */
    private static final int IDLE_RUNS = 3;

    /**
     * @param p50Ms latency from publish to the gathered stage's output with every input published at
     *              once (so it includes the wait behind the inputs before it)
     * @param idleMs the same for one input alone in the idle pipeline (median of a few)
     */
    record Result(int inputs, int workMs, int versions, double wallSeconds, double directSeconds, double ratio,
                  double eventsPerSecond, double p50Ms, double p99Ms, double idleMs, double commitMs) {}

    private final int inputs;
    private final int workMs;
    private final PrintStream out;

    PipelineBenchmark(int inputs, int workMs, PrintStream out) {
        this.inputs = inputs;
        this.workMs = workMs;
        this.out = out;
    }

    Result run() throws Exception {
        Path dir = Files.createTempDirectory("topiary-bench-pipeline");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            double commitMs = commitFloor(kafka);
            out.printf(Locale.ROOT, "bare transaction commit: %.1f ms%n", commitMs);
            Timings timed = throughPipeline(kafka, dir);
            double direct = direct();
            int versions = inputs * (MATRIX + 1);
            List<Double> latencies = new ArrayList<>(timed.latencyMs());
            latencies.sort(Double::compare);
            return new Result(inputs, workMs, versions, timed.wallSeconds(), direct, timed.wallSeconds() / direct,
                    versions / timed.wallSeconds(), percentile(latencies, 0.50), percentile(latencies, 0.99), timed.idleMs(),
                    commitMs);
        } finally {
            RepoPaths.deleteRecursively(dir);
        }
    }

    private record Timings(double wallSeconds, List<Double> latencyMs, double idleMs) {}

    private Timings throughPipeline(KafkaSettings kafka, Path dir) throws Exception {
        StageSpec sweep = new StageSpec("sweep", SpinKind.NAME, List.of("bench.in"), "bench.swept", Map.of("spinMs", workMs),
                List.of(), null, 0, matrix(), null);
        StageSpec join = new StageSpec("join", SpinKind.NAME, List.of("bench.swept"), "bench.out", Map.of("spinMs", workMs),
                List.of(), null, 0, null, new Gather(GroupBy.parse("parent"), MATRIX, null, MATRIX));
        PipelineSet set = PipelineSet.of(List.of(new Pipeline("bench", null, List.of(sweep, join), null)));
        try (ServiceHost host = new ServiceHost(set, Map.of(SpinKind.NAME, new SpinKind()),
                Map.of(GathererKind.NAME, new GathererKind()), kafka, ArtifactOptions.DEFAULT, "bench", RetryPolicy.DEFAULT, dir, Map.of());
             VersionPublisher publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES));
             TopicReader reader = new TopicReader(kafka)) {
            reader.open("bench.out", true);
            List<Double> idle = new ArrayList<>();
            for (int i = 0; i < WARM_UP + IDLE_RUNS; i++) {
                Map<String, Long> one = new HashMap<>();
                ModelVersion v = publisher.publish(root("alone " + i), "bench.in");
                one.put(v.getLineage(), System.currentTimeMillis());
                awaitOutputs(reader, 1, one, i < WARM_UP ? null : idle);
            }
            idle.sort(Double::compare);
            double idleMs = percentile(idle, 0.5);
            out.printf(Locale.ROOT, "one input through an idle pipeline: %.0f ms (median of %d); publishing %d inputs at once%n",
                    idleMs, IDLE_RUNS, inputs);
            Map<String, Long> published = new HashMap<>();
            long start = System.currentTimeMillis();
            for (int i = 0; i < inputs; i++) {
                ModelVersion v = publisher.publish(root("input " + i), "bench.in");
                published.put(v.getLineage(), System.currentTimeMillis());
            }
            List<Double> latencies = new ArrayList<>();
            long last = awaitOutputs(reader, inputs, published, latencies);
            return new Timings((last - start) / 1000.0, latencies, idleMs);
        }
    }

    /** Waits for {@code count} outputs; returns when the last arrived, noting each one's latency from its input's publish. */
    private long awaitOutputs(TopicReader reader, int count, Map<String, Long> published, List<Double> latencies) {
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(30).toMillis();
        int seen = 0;
        long last = 0;
        while (seen < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + count + " outputs after 30 minutes");
            }
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                long now = System.currentTimeMillis();
                seen++;
                last = now;
                Long at = published.get(r.key());
                if (latencies != null && at != null) {
                    latencies.add((double) (now - at));
                }
                if (seen % 50 == 0) {
                    out.println("  " + seen + " of " + count + " outputs");
                }
            }
        }
        return last;
    }

    /** The same transformations called one after another: 4 jobs and the gathered stage per input. */
    private double direct() throws Exception {
        Transformation spin = new SpinKind().create(new StageParams("direct", Map.of("spinMs", workMs)));
        ModelVersion parent = directParent("v-direct-parent");
        long start = System.nanoTime();
        for (int i = 0; i < inputs; i++) {
            byte[] bytes = ("input " + i).getBytes(StandardCharsets.UTF_8);
            List<StageInput.Parent> made = new ArrayList<>();
            for (int j = 0; j < MATRIX; j++) {
                Transformation job = new SpinKind().create(new StageParams("direct", Map.of("spinMs", workMs, "tag", "t" + j)));
                // a spin job always makes a version
                made.add(new StageInput.Parent(parent, ((StageOutput) job.apply(input(List.of(new StageInput.Parent(parent, bytes))))).artifact()));
            }
            spin.apply(input(made));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "direct: %.1f s for %d inputs%n", seconds, inputs);
        return seconds;
    }

    private static StageInput input(List<StageInput.Parent> parents) {
        return new StageInput(parents, "v-direct", "bench", "direct", Map.of(), null, ProgressReporter.NONE, new Cancellation());
    }

    /** The mean time of a transaction that writes one small record and commits: what every exactly-once step pays at least. */
    private static double commitFloor(KafkaSettings kafka) {
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensure(List.of("bench.floor"));
        }
        int rounds = 100;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.transactionalProducer("bench-floor"))) {
            producer.initTransactions();
            long start = 0;
            for (int i = -10; i < rounds; i++) {
                if (i == 0) {
                    start = System.nanoTime();
                }
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("bench.floor", "k", new byte[16]));
                producer.commitTransaction();
            }
            return (System.nanoTime() - start) / 1e6 / rounds;
        }
    }

    private Matrix matrix() {
        List<Object> tags = new ArrayList<>();
        for (int j = 0; j < MATRIX; j++) {
            tags.add("t" + j);
        }
        return Matrix.of(Map.of("tag", tags), List.of(), List.of(), Matrix.DEFAULT_MAX_JOBS);
    }

    private static VersionPublisher.RootVersion root(String text) {
        return new VersionPublisher.RootVersion(text.getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE, OperationKind.IMPORT,
                "bench", Map.of(), null, List.of(), Map.of());
    }

    /** The parent the direct loop hands the transformations (they read only its artifact bytes). */
    private static ModelVersion directParent(String id) {
        return ModelVersion.newBuilder().setId(id).setParents(List.of()).setLineage(id).setPipeline("bench").setStage("direct")
                .setOperation(new dev.topiary.events.Operation(OperationKind.IMPORT, Map.of()))
                .setArtifact(new dev.topiary.events.ArtifactRef("file:///direct", "00", 0L, ModelFormat.OPAQUE))
                .setMetrics(new dev.topiary.events.Metrics(null, Map.of())).setCreatedAt(java.time.Instant.now())
                .setProducer(new dev.topiary.events.Producer("bench", "0")).build();
    }

    private static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String table(Result r) {
        return String.format(Locale.ROOT, "%-7s %-8s %-9s %8s %9s %7s %9s %8s %8s %8s %10s%n", "inputs", "work ms", "versions",
                "wall s", "direct s", "ratio", "events/s", "p50 ms", "p99 ms", "idle ms", "commit ms")
                + String.format(Locale.ROOT, "%-7d %-8d %-9d %8.1f %9.1f %6.2fx %9.2f %8.0f %8.0f %8.0f %10.1f%n", r.inputs(),
                r.workMs(), r.versions(), r.wallSeconds(), r.directSeconds(), r.ratio(), r.eventsPerSecond(), r.p50Ms(),
                r.p99Ms(), r.idleMs(), r.commitMs());
    }

    static String json(Result r) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", r.inputs());
        m.put("workMs", r.workMs());
        m.put("versions", r.versions());
        m.put("wallSeconds", r.wallSeconds());
        m.put("directSeconds", r.directSeconds());
        m.put("ratio", r.ratio());
        m.put("eventsPerSecond", r.eventsPerSecond());
        m.put("p50Ms", r.p50Ms());
        m.put("p99Ms", r.p99Ms());
        m.put("idleLatencyMs", r.idleMs());
        m.put("commitMs", r.commitMs());
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
    }
}
