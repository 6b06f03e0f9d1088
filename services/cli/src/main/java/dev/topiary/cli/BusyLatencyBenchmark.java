package dev.topiary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.nn.threads.NativeThreads;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.StageSpec;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.ModelWorkLease;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * {@code topiary bench busy}: the {@code latencyMs} a stage publishes while another stage of the
 * same {@code up} trains, beside the latency of the same artifact measured alone afterwards. Two
 * train stages share one process and one embedded broker: {@code heavy} trains a 784-300-100-10 MLP
 * for several epochs on Fashion-MNIST; {@code light} gets its own MLP once heavy is training, trains
 * it one epoch on 2,000 rows and measures it. Run with the model-work lease (what services do) and,
 * for contrast, with it switched off, which is what {@code up} was before: the light stage then
 * times its model while the heavy one trains beside it. The last column is the BLAS / libnd4j pool
 * thread counts before and after each run: jobs that overlap can leave the process with the
 * other's setting.
 */
final class BusyLatencyBenchmark {
    private static final String LIGHT_DATA = DatasetCatalog.FASHION_MNIST + "?train=2000&test=1000";
    private static final int ALONE_ROUNDS = 3;

    /** One run: with or without the lease. */
    record Row(boolean lease, double busyMs, double aloneMs, double lightWaitedSeconds, boolean heavyStillTraining,
               String threadsBefore, String threadsAfter) {
        double ratio() {
            return busyMs / aloneMs;
        }
    }

    private final int heavyEpochs;
    private final PrintStream out;

    BusyLatencyBenchmark(int heavyEpochs, PrintStream out) {
        this.heavyEpochs = heavyEpochs;
        this.out = out;
    }

    List<Row> run() throws Exception {
        Path dir = Files.createTempDirectory("topiary-bench-busy");
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            for (boolean lease : new boolean[] {true, false}) {
                ModelWorkLease.setEnabled(lease);
                try {
                    rows.add(once(kafka, lease, "busy" + rows.size()));
                } finally {
                    ModelWorkLease.setEnabled(true);
                }
            }
        } finally {
            RepoPaths.deleteRecursively(dir);
        }
        return rows;
    }

    private Row once(KafkaSettings kafka, boolean lease, String name) throws Exception {
        StageSpec heavy = new StageSpec("heavy", "train", List.of(name + ".heavy.in"), name + ".heavy.out",
                Map.of("epochs", heavyEpochs), List.of(), DatasetCatalog.FASHION_MNIST, 0);
        StageSpec light = new StageSpec("light", "train", List.of(name + ".light.in"), name + ".light.out",
                Map.of("epochs", 1), List.of(), LIGHT_DATA, 0);
        PipelineSet set = PipelineSet.of(List.of(new Pipeline(name, null, List.of(heavy, light), null)));
        try (ServiceHost host = new ServiceHost(set, Map.of("train", ServiceKinds.available().get("train")), kafka,
                ArtifactOptions.DEFAULT, name);
             VersionPublisher publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES));
             TopicReader progress = new TopicReader(kafka);
             TopicReader versions = new TopicReader(kafka)) {
            progress.open(Topics.PROGRESS.name(), false);
            String threadsBefore = threads();
            publisher.publish(root(1), name + ".heavy.in");
            awaitTraining(progress, name, "heavy");
            long lightPublished = System.currentTimeMillis();
            publisher.publish(root(2), name + ".light.in");

            versions.open(List.of(name + ".heavy.out", name + ".light.out"), true);
            List<ModelVersion> done = versions.awaitVersions(2, v -> true, Duration.ofMinutes(30));
            ModelVersion lightVersion = done.stream().filter(v -> v.getStage().equals("light")).findFirst().orElseThrow();
            ModelVersion heavyVersion = done.stream().filter(v -> v.getStage().equals("heavy")).findFirst().orElseThrow();
            String threadsAfter = threads();
            double busy = lightVersion.getMetrics().getValues().get(MetricNames.LATENCY_MS);
            double alone = alone(kafka, lightVersion);
            Row row = new Row(lease, busy, alone, (lightVersion.getCreatedAt().toEpochMilli() - lightPublished) / 1000.0,
                    heavyVersion.getCreatedAt().isAfter(lightVersion.getCreatedAt()), threadsBefore, threadsAfter);
            out.printf(Locale.ROOT, "%s lease: light stage's latency in a busy up %.2f ms/1k, alone %.2f ms/1k (%.2fx)%n",
                    lease ? "with" : "without", row.busyMs(), row.aloneMs(), row.ratio());
            return row;
        }
    }

    /** The same artifact timed again with nothing else running, the best of a few measurements. */
    private static double alone(KafkaSettings kafka, ModelVersion version) {
        byte[] bytes = Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES).get(version.getArtifact());
        Model model = SafeModelLoader.load(bytes).model();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < ALONE_ROUNDS; i++) {
            best = Math.min(best, ModelMetrics.latencyMs(model, DatasetCatalog.resolve(LIGHT_DATA).testFeatures()));
        }
        return best;
    }

    /** BLAS threads / libnd4j pool threads in force now: what the jobs left the process with. */
    private static String threads() {
        return NativeThreads.blasThreads() + "/" + NativeThreads.poolThreads();
    }

    private static void awaitTraining(TopicReader progress, String pipeline, String stage) {
        long deadline = System.currentTimeMillis() + 600_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : progress.poll(Duration.ofMillis(200))) {
                Progress p = Topics.PROGRESS.decode(r.value());
                if (p.getPipeline().equals(pipeline) && p.getStage().equals(stage) && p.getState() == ProgressState.RUNNING) {
                    return;
                }
            }
        }
        throw new IllegalStateException("stage " + stage + " did not start training within 10 minutes");
    }

    private static VersionPublisher.RootVersion root(long seed) {
        MultiLayerNetwork mlp = ModelFactory.mlp(seed, new int[] {784, 300, 100, 10});
        return ModelEvents.root(mlp, ModelArtifacts.save(mlp, true), OperationKind.NEW, Map.of("bench", "busy"));
    }

    static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-6s %14s %14s %8s %14s %22s %16s%n",
                "lease", "busy ms/1000", "alone ms/1000", "ratio", "light waited s", "heavy still training",
                "threads before/after"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-6s %14.2f %14.2f %7.2fx %14.1f %22s %16s%n", r.lease() ? "on" : "off",
                    r.busyMs(), r.aloneMs(), r.ratio(), r.lightWaitedSeconds(), r.heavyStillTraining() ? "yes" : "no",
                    r.threadsBefore() + " -> " + r.threadsAfter()));
        }
        return s.toString();
    }

    static String json(List<Row> rows) throws Exception {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lease", r.lease());
            m.put("busyLatencyMs", r.busyMs());
            m.put("aloneLatencyMs", r.aloneMs());
            m.put("ratio", r.ratio());
            m.put("lightWaitedSeconds", r.lightWaitedSeconds());
            m.put("heavyStillTraining", r.heavyStillTraining());
            m.put("threadsBefore", r.threadsBefore());
            m.put("threadsAfter", r.threadsAfter());
            list.add(m);
        }
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(list) + "\n";
    }
}
