package dev.topiary.runtime.soak;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The chaos soak ({@code topiary soak}): versions through a {@link SoakPipeline} of three stages,
 * each with two instances (two service processes, one runner per stage in each), while the harness
 * SIGKILLs service processes at random moments and restarts the embedded broker once. Then it reads
 * the last topic (read_committed) and the dead-letter topics and reports what arrived how often.
 *
 * <p>Bounded and local: the broker listens on 127.0.0.1 only, the number of kills and restarts is
 * fixed by the plan, every wait has a deadline, and the run stops its processes and broker itself.
 * Publishing pauses while the broker restarts, so every version in is one the harness knows of;
 * the services get no such courtesy.
 *
 * <pre>{@code
 * SoakReport r = new ChaosSoak(new ChaosSoak.Plan(200, 6, 1, 42), dataDir, System.err).run();
 * }</pre>
 */
public final class ChaosSoak {

    /**
     * @param versions how many root versions to publish
     * @param kills how many times a service process is SIGKILLed (and started again)
     * @param brokerRestarts how many times the broker is stopped and started on the same port
     */
    public record Plan(int versions, int kills, int brokerRestarts, long seed) {
        public Plan {
            if (versions <= 0 || kills < 0 || brokerRestarts < 0) {
                throw new IllegalArgumentException("a soak needs versions > 0 and no negative kills or restarts");
            }
        }
    }

    private static final int PROCESSES = SoakPipeline.PARTITIONS;
    private static final long PUBLISH_PAUSE_MS = 150;
    private static final long DRAIN_DEADLINE_MS = 180_000;

    private final Plan plan;
    private final Path dataDir;
    private final PrintStream log;
    private final Random random;
    private final SoakPipeline pipeline = new SoakPipeline("soak");
    private final Process[] workers = new Process[PROCESSES];
    private EmbeddedKafkaBroker broker;
    private long started = System.nanoTime();

    public ChaosSoak(Plan plan, Path dataDir, PrintStream log) {
        this.plan = plan;
        this.dataDir = dataDir.toAbsolutePath();
        this.log = log;
        this.random = new Random(plan.seed());
    }

    public SoakReport run() throws InterruptedException {
        long t0 = System.nanoTime();
        started = t0;
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        int port = broker.port();
        KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
        int kills = 0;
        int restarts = 0;
        try {
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensure(pipeline.topics(), SoakPipeline.PARTITIONS);
                admin.ensure(List.of(Topics.ARTIFACTS.name(), Topics.PROGRESS.name()), 1);
            }
            for (int i = 0; i < PROCESSES; i++) {
                workers[i] = startWorker(kafka, i);
            }
            // chaos at moments drawn once: kills spread over the publishing, the restart in the middle
            Set<Integer> killAt = new TreeSet<>();
            while (killAt.size() < Math.min(plan.kills(), plan.versions())) {
                killAt.add(1 + random.nextInt(plan.versions()));
            }
            Set<Integer> restartAt = new TreeSet<>();
            for (int r = 1; r <= plan.brokerRestarts(); r++) {
                restartAt.add(Math.max(1, plan.versions() * r / (plan.brokerRestarts() + 1)));
            }
            VersionPublisher publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES));
            try {
                for (int v = 1; v <= plan.versions(); v++) {
                    publishOne(publisher, v);
                    if (killAt.contains(v)) {
                        int w = random.nextInt(PROCESSES);
                        kill(w);
                        kills++;
                        // back after a moment, under the same slot id: it fences its predecessor
                        Thread.sleep(500 + random.nextInt(2000));
                        workers[w] = startWorker(kafka, w);
                    }
                    if (restartAt.contains(v)) {
                        publisher.close();
                        restartBroker(port);
                        restarts++;
                        publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES));
                    }
                    Thread.sleep(PUBLISH_PAUSE_MS);
                }
            } finally {
                publisher.close();
            }
            say("published " + plan.versions() + "; waiting for the last topic");
            return report(kafka, kills, restarts, t0);
        } finally {
            for (int i = 0; i < PROCESSES; i++) {
                stop(i);
            }
            broker.close();
        }
    }

    private void publishOne(VersionPublisher publisher, int v) {
        byte[] text = ("soak version " + v).getBytes(StandardCharsets.UTF_8);
        publisher.publish(new VersionPublisher.RootVersion(text, ModelFormat.OPAQUE, OperationKind.IMPORT,
                pipeline.name(), Map.of(), null, List.of(), Map.of()), pipeline.topic(0));
    }

    private SoakReport report(KafkaSettings kafka, int kills, int restarts, long t0) throws InterruptedException {
        Set<String> in = lineages(kafka, pipeline.topic(0));
        say(in.size() + " versions on the first topic");
        long deadline = System.currentTimeMillis() + DRAIN_DEADLINE_MS;
        Map<String, Integer> out;
        List<String> reasons;
        while (true) {
            out = counts(kafka, pipeline.lastTopic());
            reasons = deadLetterReasons(kafka);
            // done when every version in came out or was parked; a loss shows as a wait until the deadline
            if (out.size() + reasons.size() >= in.size() || System.currentTimeMillis() > deadline) {
                say(out.size() + " lineages on the last topic, " + reasons.size() + " dead letters");
                break;
            }
            Thread.sleep(1000);
        }
        int duplicates = out.values().stream().mapToInt(c -> c - 1).sum();
        Set<String> lost = new HashSet<>(in);
        lost.removeAll(out.keySet());
        if (!lost.isEmpty()) {
            showWorkerLogs(); // a loss is rare and load-dependent: what the processes said is the evidence
        }
        return new SoakReport(in.size(), out.size(), duplicates, lost.size(), reasons.size(), reasons, kills, restarts,
                (System.nanoTime() - t0) / 1e9, plan.seed());
    }

    private static Set<String> lineages(KafkaSettings kafka, String topic) {
        return counts(kafka, topic).keySet();
    }

    /** Records per lineage on {@code topic}, read committed. */
    private static Map<String, Integer> counts(KafkaSettings kafka, String topic) {
        Map<String, Integer> out = new HashMap<>();
        try (TopicReader reader = new TopicReader(kafka)) {
            for (ModelVersion v : reader.readVersions(topic)) {
                out.merge(v.getLineage(), 1, Integer::sum);
            }
        }
        return out;
    }

    private List<String> deadLetterReasons(KafkaSettings kafka) {
        List<String> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka)) {
            for (String topic : pipeline.deadLetterTopics()) {
                for (ConsumerRecord<String, byte[]> r : reader.readAll(topic)) {
                    var h = r.headers().lastHeader("topiary.error");
                    out.add(h == null ? "(no reason)" : new String(h.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private Process startWorker(KafkaSettings kafka, int slot) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), SoakWorker.class.getName(), kafka.bootstrap(), pipeline.name(),
                "w" + slot);
        pb.redirectErrorStream(true);
        File logFile = dataDir.resolve("worker-" + slot + ".log").toFile();
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile));
        try {
            Process p = pb.start();
            say("started service process w" + slot + " (pid " + p.pid() + ")");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a soak service process", e);
        }
    }

    private void kill(int slot) throws InterruptedException {
        Process p = workers[slot];
        say("SIGKILL service process w" + slot + " (pid " + p.pid() + ")");
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, transactions left open
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private void stop(int slot) {
        Process p = workers[slot];
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void restartBroker(int port) {
        say("stopping the broker");
        broker.close();
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), port);
        say("broker back on " + broker.bootstrapServers() + " after " + broker.startupTime().toMillis() + " ms");
    }

    private void showWorkerLogs() {
        for (int slot = 0; slot < PROCESSES; slot++) {
            Path file = dataDir.resolve("worker-" + slot + ".log");
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                say("last lines of " + file + " (alive: " + (workers[slot] != null && workers[slot].isAlive()) + ")");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> log.println("  " + l));
            } catch (IOException e) {
                say("cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    private void say(String line) {
        log.printf("soak %6.1f s: %s%n", (System.nanoTime() - started) / 1e9, line);
    }

    /** A fresh directory for a soak's broker and process logs. */
    public static Path freshDir(Path parent) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "soak-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
