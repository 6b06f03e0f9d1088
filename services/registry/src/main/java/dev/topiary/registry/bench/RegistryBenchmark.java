package dev.topiary.registry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.ArtifactRef;
import dev.topiary.registry.RegistryOptions;
import dev.topiary.registry.RegistryService;
import dev.topiary.registry.browser.HeadlessChromium;
import dev.topiary.registry.client.RegistryClient;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.OperationKind;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code topiary bench registry}: on an embedded broker of its own, loads 10,000 versions in 100
 * lineages through Kafka and times until the registry has them all; then times the API
 * ({@code /api/frontier}, {@code /api/lineage/{id}}) from one sequential client; then, with a
 * lineage of 1,000 versions added, times the page in headless Chromium from navigation to
 * {@code data-ready}. Prints a table with the targets, and writes JSON with {@code --json FILE}.
 */
public final class RegistryBenchmark {
    static final double LOAD_TARGET_S = 30;
    static final double API_P99_TARGET_MS = 50;
    static final double PAGE_TARGET_MS = 2000;

    private RegistryBenchmark() {}

    /** Runs the benchmark, prints the table and writes the JSON; refuses bad options before any work. */
    public static void run(RegistryBenchOptions options, PrintStream out) throws Exception {
        options.validate();
        int lineages = options.lineages;
        int perLineage = options.perLineage;
        int requests = options.requests;
        int pageVersions = options.pageVersions;
        Path work = Files.createTempDirectory("topiary-bench-registry");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "registry");
        result.put("versions", lineages * perLineage);
        result.put("lineages", lineages);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            ArtifactRef artifact;
            try (VersionPublisher publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES))) {
                artifact = publisher.publish(new VersionPublisher.RootVersion("bench artifact".getBytes(StandardCharsets.UTF_8),
                        ModelFormat.OPAQUE, OperationKind.IMPORT, "bench", Map.of(), null, List.of(), Map.of()), "bench.seed")
                        .getArtifact();
            }
            BenchLineages gen = new BenchLineages(42, artifact, "bench");
            List<BenchLineages.Placed> load = new ArrayList<>();
            for (int i = 0; i < lineages; i++) {
                load.addAll(gen.lineage(String.format("v-bench%04d", i), perLineage));
            }
            Set<String> topics = new TreeSet<>();
            load.forEach(p -> topics.add(p.topic()));
            topics.add("bench.big");
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensure(topics, 4);
            }
            Map<String, String> serviceOptions = Map.of(RegistryOptions.PORT, "0", RegistryOptions.TOPICS, "bench\\..*");
            try (RegistryService registry = RegistryService.start(new HostContext(PipelineSet.of(List.of()), kafka,
                    ArtifactOptions.DEFAULT, work.resolve("state"), "bench", serviceOptions));
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer())) {
                int before = registry.state().versionCount();
                long t0 = System.nanoTime();
                for (BenchLineages.Placed p : load) {
                    producer.send(Topics.versions(p.topic()).record(p.version()));
                }
                producer.flush();
                double produced = seconds(t0);
                awaitCount(registry, before + load.size(), Duration.ofMinutes(5));
                double loaded = seconds(t0);
                result.put("produceSeconds", produced);
                result.put("loadSeconds", loaded);

                RegistryClient client = new RegistryClient(registry.url());
                Random random = new Random(7);
                String[] xs = {"macs", "latencyMs", "artifactBytes", "params"};
                for (int i = 0; i < 200; i++) { // warm-up: JIT, connection
                    client.get("/api/frontier?x=macs&lineage=" + lineageName(random.nextInt(lineages)));
                    client.get("/api/lineage/" + lineageName(random.nextInt(lineages)));
                }
                double[] frontier = time(requests, () -> client.get("/api/frontier?x=" + xs[random.nextInt(xs.length)]
                        + "&lineage=" + lineageName(random.nextInt(lineages))));
                double[] frontierAll = time(Math.max(10, requests / 4), () -> client.get("/api/frontier?x=" + xs[random.nextInt(xs.length)]));
                double[] lineage = time(requests, () -> client.get("/api/lineage/" + lineageName(random.nextInt(lineages))));
                result.put("frontierP50Ms", percentile(frontier, 50));
                result.put("frontierP99Ms", percentile(frontier, 99));
                result.put("frontierAllLineagesP50Ms", percentile(frontierAll, 50));
                result.put("frontierAllLineagesP99Ms", percentile(frontierAll, 99));
                result.put("lineageP50Ms", percentile(lineage, 50));
                result.put("lineageP99Ms", percentile(lineage, 99));
                result.put("requests", requests);

                if (HeadlessChromium.unavailable().isPresent()) {
                    result.put("pageSkipped", HeadlessChromium.unavailable().get());
                } else {
                    int count = registry.state().versionCount();
                    for (BenchLineages.Placed p : gen.lineage("v-benchbig", pageVersions)) {
                        producer.send(Topics.versions("bench.big").record(p.version()));
                    }
                    producer.flush();
                    awaitCount(registry, count + pageVersions, Duration.ofMinutes(2));
                    double[] page = pageTimes(registry.url() + "/#lineage=v-benchbig", pageVersions, 5);
                    result.put("pageVersions", pageVersions);
                    result.put("pageColdMs", page[0]);
                    result.put("pageWarmMedianMs", percentile(Arrays.copyOfRange(page, 1, page.length), 50));
                }
            }
        } finally {
            deleteQuietly(work);
        }
        print(result, out);
        if (options.json != null) {
            Files.writeString(options.json, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            out.println("wrote " + options.json);
        }
    }

    private static String lineageName(int i) {
        return String.format("v-bench%04d", i);
    }

    /** Navigation to data-ready, as the page measures it (performance.now() at data-ready), first run cold. */
    private static double[] pageTimes(String url, int expectedNodes, int runs) {
        ChromeDriver browser = HeadlessChromium.start(1440, 1000);
        try {
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                browser.get("about:blank");
                browser.get(url);
                new WebDriverWait(browser, Duration.ofSeconds(60)).until(d ->
                        "true".equals(d.findElement(By.id("app")).getDomAttribute("data-ready")));
                var app = browser.findElement(By.id("app"));
                int nodes = Integer.parseInt(app.getDomAttribute("data-nodes"));
                if (nodes != expectedNodes) {
                    throw new IllegalStateException("the page drew " + nodes + " nodes, expected " + expectedNodes);
                }
                ms[i] = Double.parseDouble(app.getDomAttribute("data-ready-ms"));
            }
            return ms;
        } finally {
            browser.quit();
        }
    }

    private static void awaitCount(RegistryService registry, int count, Duration timeout) throws InterruptedException {
        await(() -> registry.state().versionCount() >= count, timeout,
                () -> "registry has " + registry.state().versionCount() + " of " + count + " versions");
    }

    private static void await(BooleanSupplier done, Duration timeout, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out: " + what.get());
            }
            Thread.sleep(10);
        }
    }

    private static double[] time(int n, Runnable request) {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            request.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void print(Map<String, Object> r, PrintStream out) {
        out.println("registry benchmark: " + r.get("versions") + " versions in " + r.get("lineages")
                + " lineages through an embedded broker (one run; the machine may be shared)");
        out.printf(Locale.ROOT, "%-44s %12s %12s %s%n", "measure", "value", "target", "");
        row(out, "produce all versions (s)", (double) r.get("produceSeconds"), Double.NaN);
        row(out, "until the registry has them all (s)", (double) r.get("loadSeconds"), LOAD_TARGET_S);
        row(out, "/api/frontier?lineage= p50 (ms)", (double) r.get("frontierP50Ms"), Double.NaN);
        row(out, "/api/frontier?lineage= p99 (ms)", (double) r.get("frontierP99Ms"), API_P99_TARGET_MS);
        row(out, "/api/frontier, all lineages, p50 (ms)", (double) r.get("frontierAllLineagesP50Ms"), Double.NaN);
        row(out, "/api/frontier, all lineages, p99 (ms)", (double) r.get("frontierAllLineagesP99Ms"), API_P99_TARGET_MS);
        row(out, "/api/lineage/{id} p50 (ms)", (double) r.get("lineageP50Ms"), Double.NaN);
        row(out, "/api/lineage/{id} p99 (ms)", (double) r.get("lineageP99Ms"), API_P99_TARGET_MS);
        if (r.containsKey("pageSkipped")) {
            out.println("page: skipped, " + r.get("pageSkipped"));
        } else {
            row(out, "page data-ready, " + r.get("pageVersions") + " versions, cold (ms)", (double) r.get("pageColdMs"), PAGE_TARGET_MS);
            row(out, "page data-ready, warm median of 4 (ms)", (double) r.get("pageWarmMedianMs"), PAGE_TARGET_MS);
        }
    }

    private static void row(PrintStream out, String name, double value, double target) {
        String t = Double.isNaN(target) ? "" : String.format(Locale.ROOT, "<= %.0f", target);
        String verdict = Double.isNaN(target) ? "" : value <= target ? "met" : "MISSED";
        out.printf(Locale.ROOT, "%-44s %12.2f %12s %s%n", name, value, t, verdict);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is not worth failing a benchmark for
        }
    }
}
