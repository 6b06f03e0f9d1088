package dev.topiary.runtime.testing;

import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.StageSpec;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.service.HostedKind;
import dev.topiary.runtime.service.HostedService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A test-only hosted kind ({@code test-tally}): counts the versions on every topic the pipelines'
 * stages write, and keeps its count in a file of its state directory. It notes whether any stage
 * runner thread was alive when it started and when it was closed, so a test can check the order
 * the host keeps. Writes {@code started} and {@code closed} marker files for tests that watch it
 * from another process.
 */
public final class TallyKind implements HostedKind {
    public static final String NAME = "test-tally";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: counts the versions the pipelines' stages publish";
    }

    @Override
    public HostedService start(HostContext context) {
        return new Tally(context);
    }

    /** The running service. */
    public static final class Tally implements HostedService {
        private final HostContext context;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private final AtomicInteger versions = new AtomicInteger();
        private final boolean stagesRunningAtStart;
        private volatile boolean stagesRunningAtClose;
        private volatile boolean running = true;

        Tally(HostContext context) {
            this.context = context;
            this.stagesRunningAtStart = stageThreadsAlive(context.pipelines().pipelines());
            List<String> topics = outputsOf(context.pipelines().pipelines());
            this.consumer = new KafkaConsumer<>(context.settings().readCommittedConsumer("tally-" + UUID.randomUUID()));
            write("started", context.options().toString());
            this.thread = new Thread(() -> run(topics), "tally");
            thread.start();
        }

        private void run(List<String> topics) {
            try {
                if (!topics.isEmpty()) {
                    consumer.subscribe(topics);
                }
                while (running) {
                    if (topics.isEmpty()) {
                        Thread.sleep(100);
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        Topics.versions(r.topic()).decode(r.value());
                        write("tally", String.valueOf(versions.incrementAndGet()));
                    }
                }
            } catch (WakeupException | InterruptedException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        public HostContext context() {
            return context;
        }

        public int versions() {
            return versions.get();
        }

        public boolean stagesRunningAtStart() {
            return stagesRunningAtStart;
        }

        public boolean stagesRunningAtClose() {
            return stagesRunningAtClose;
        }

        @Override
        public void close() {
            stagesRunningAtClose = stageThreadsAlive(context.pipelines().pipelines());
            running = false;
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            write("closed", String.valueOf(versions.get()));
        }

        private void write(String file, String text) {
            try {
                Files.writeString(context.stateDir().resolve(file), text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<String> outputsOf(List<Pipeline> pipelines) {
        TreeSet<String> topics = new TreeSet<>();
        for (Pipeline p : pipelines) {
            for (StageSpec s : p.stages()) {
                topics.add(s.to());
                s.routes().stream().map(Route::to).forEach(topics::add);
            }
        }
        return List.copyOf(topics);
    }

    /** Whether a runner thread of one of these pipelines' stages is alive (the host names them stage-PIPELINE-STAGE). */
    private static boolean stageThreadsAlive(List<Pipeline> pipelines) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && pipelines.stream().anyMatch(p -> t.getName().startsWith("stage-" + p.name() + "-")));
    }

    /** The state directory a host gives this kind under {@code dataDir}. */
    public static Path stateDir(Path dataDir) {
        return dataDir.resolve("state").resolve(NAME);
    }
}
