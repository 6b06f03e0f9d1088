package dev.topiary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.LoadedModel;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * {@code topiary bench artifacts}: a large model (by default a 784-5120-5120-5120-10 MLP, 56M
 * parameters, a 209 MB artifact) through publish, a cheap stage (unstructured magnitude pruning,
 * no fine-tuning) and pull, on the kafka store and on the file store, all on an embedded broker in
 * this process. Each step reports wall time, throughput (artifact MB over wall time) and its heap
 * ({@link HeapPeak}): the peak live heap over the heap in use before it, as a multiple of the
 * artifact's size, is what shows that nothing holds the whole artifact more than about twice. Run
 * it with a small -Xmx (e.g. {@code TOPIARY_JAVA_OPTS="-Xmx1g -Dorg.bytedeco.javacpp.maxbytes=4g"},
 * native memory capped apart) so collections are frequent and the live peak sees every array.
 *
 * <p>The stage's time includes what every model stage does besides moving bytes: the safe load,
 * the pruning, and the evaluation of the result (accuracy on the data set's test split, latency
 * at batch 256 on one core, fifteen runs), which for 54M MACs per row is most of it.
 */
final class ArtifactBenchmark {
    static final int[] DEFAULT_LAYERS = {784, 5120, 5120, 5120, 10};
    private static final double MB = 1e6;

    private ArtifactBenchmark() {}

    /** One step of one store. */
    record Step(String store, String step, long bytes, double seconds, double megabytesPerSecond, long heapBaseBytes,
                long heapPeakBytes, long heapPeakLiveBytes, int collections, double liveOverArtifact) {}

    static List<Step> run(int[] layers, List<String> stores, double sparsity, Path json, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("topiary-bench-artifacts");
        List<Step> steps = new ArrayList<>();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
        try {
            KafkaSettings settings = KafkaSettings.of(broker.bootstrapServers());
            Path model = work.resolve("model.zip");
            long params;
            {
                MultiLayerNetwork net = ModelFactory.mlp(42, layers);
                params = net.numParams();
                Files.write(model, ModelArtifacts.save(net, false));
                net.close();
            }
            out.printf(Locale.ROOT, "model: MLP %s, %,d parameters, artifact %,d bytes; max heap %,d MB; embedded broker%n",
                    Arrays.toString(layers), params, Files.size(model), Runtime.getRuntime().maxMemory() >> 20);
            for (String store : stores) {
                steps.addAll(runStore(store, settings, model, sparsity, work, out));
            }
        } finally {
            broker.close();
            RepoPaths.deleteRecursively(work);
        }
        printTable(steps, out);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("benchmark", "artifacts");
            doc.put("layers", layers);
            doc.put("sparsity", sparsity);
            doc.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
            doc.put("steps", steps);
            Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n");
            out.println("wrote " + json);
        }
        return steps;
    }

    private static List<Step> runStore(String store, KafkaSettings settings, Path model, double sparsity, Path work,
                                       PrintStream out) throws Exception {
        String in = "bench." + store + ".in";
        String pruned = "bench." + store + ".pruned";
        Path pipelineFile = work.resolve("bench-" + store + ".yaml");
        Files.writeString(pipelineFile, """
                pipeline: bench-artifacts-%s
                dataset: fashion-mnist?train=1000&test=1000
                stages:
                  - name: prune
                    uses: prune
                    from: %s
                    to: %s
                    with: {method: magnitude, scope: global, sparsity: %s, finetuneEpochs: 0}
                """.formatted(store, in, pruned, sparsity));
        PipelineSet pipelines = PipelineFiles.load(List.of(pipelineFile));
        ArtifactOptions options = new ArtifactOptions(store, store.equals("file") ? work.resolve("artifacts") : null,
                Artifacts.DEFAULT_MAX_BYTES);
        List<Step> steps = new ArrayList<>();
        try (ServiceHost host = new ServiceHost(pipelines, ServiceKinds.available(), settings, options,
                "bench-" + store); TopicReader reader = new TopicReader(settings)) {
            out.println(store + " store: publish...");
            ModelVersion published;
            long bytes = Files.size(model);
            long start = System.nanoTime();
            try (HeapPeak heap = HeapPeak.start()) {
                published = publish(settings, options, model);
                steps.add(step(store, "publish", bytes, bytes, start, heap));
            }
            out.println(store + " store: prune stage...");
            reader.open(pruned, true);
            start = System.nanoTime();
            ModelVersion result;
            try (HeapPeak heap = HeapPeak.start()) {
                result = reader.awaitVersions(1, v -> v.getParents().contains(published.getId()), Duration.ofMinutes(30)).get(0);
                steps.add(step(store, "prune stage", bytes, bytes, start, heap));
            }
            out.println(store + " store: pull...");
            Path pulled = work.resolve("pulled-" + store + ".zip");
            start = System.nanoTime();
            try (HeapPeak heap = HeapPeak.start()) {
                options.open(settings).getTo(result.getArtifact(), pulled);
                steps.add(step(store, "pull", Files.size(pulled), bytes, start, heap));
            }
            Files.delete(pulled);
        }
        return steps;
    }

    /** What {@code topiary publish} does: read the file, refuse it unless it loads safely, store and publish. */
    private static ModelVersion publish(KafkaSettings settings, ArtifactOptions options, Path model) throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        LoadedModel loaded = SafeModelLoader.load(bytes);
        try (VersionPublisher publisher = new VersionPublisher(settings, options.open(settings))) {
            return publisher.publish(ModelEvents.root(loaded.model(), bytes, OperationKind.IMPORT, Map.of()),
                    "bench." + options.store() + ".in");
        } finally {
            loaded.model().close();
        }
    }

    private static Step step(String store, String name, long bytes, long artifactBytes, long startNanos, HeapPeak heap) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        heap.close();
        return new Step(store, name, bytes, seconds, bytes / MB / seconds, heap.base(), heap.peak(), heap.peakLive(),
                heap.collections(), (double) (heap.peakLive() - heap.base()) / artifactBytes);
    }

    private static void printTable(List<Step> steps, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-6s %-12s %7s %8s %7s %6s %6s %6s %4s %10s%n", "store", "step", "MB", "seconds", "MB/s",
                "base", "peak", "live", "GCs", "live-base");
        for (Step s : steps) {
            out.printf(Locale.ROOT, "%-6s %-12s %7.1f %8.2f %7.1f %6.0f %6.0f %6.0f %4d %9.2fx%n", s.store(), s.step(),
                    s.bytes() / MB, s.seconds(), s.megabytesPerSecond(), s.heapBaseBytes() / MB, s.heapPeakBytes() / MB,
                    s.heapPeakLiveBytes() / MB, s.collections(), s.liveOverArtifact());
        }
        out.println("(MB = the step's artifact bytes, 1e6; heap in MB: base after a full GC before the step, peak in use"
                + " (garbage included), peak live after a GC; live-base in multiples of the input artifact; one run on a"
                + " shared machine)");
    }
}
