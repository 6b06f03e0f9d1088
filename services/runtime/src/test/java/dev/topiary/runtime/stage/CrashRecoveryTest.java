package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.artifact.KafkaArtifactStore;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.testing.CommitHangingStore;
import dev.topiary.runtime.testing.StageProcessMain;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Fast recovery with default settings: a stage process is SIGKILLed inside its commit, leaving an
 * open transaction on the artifacts topic, and read_committed readers of that partition get past
 * it within 15 s, whether the process stays dead (the broker aborts the transaction when its short
 * timeout runs out) or is restarted (the restart takes the same instance slot and fences it).
 * (That the input is then processed exactly once is {@link ExactlyOnceAfterKillTest}'s business.)
 */
class CrashRecoveryTest {
    private static final Duration TARGET = Duration.ofSeconds(15);

    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void readersMoveOnWithin15SecondsOfASigkillMidCommit() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        String artifacts = TestBroker.unique("artifacts");
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensure(List.of(in, out, Topics.deadLetterOf(in), artifacts, Topics.PROGRESS.name()));
        }
        try (VersionPublisher p = new VersionPublisher(kafka, new KafkaArtifactStore(kafka, artifacts, 1L << 30))) {
            p.publish(TextModels.root("accuracy=0.3"), in);
        }
        String stage = TestBroker.unique("stage");

        // 1. killed inside its commit and restarted at once, as a supervisor would: the restart takes the same slot
        Process first = start(in, out, stage, artifacts, true, "first");
        awaitHanging("first");
        first.destroyForcibly();
        first.waitFor();
        Process second = start(in, out, stage, artifacts, true, "second");
        Duration restarted = timeUntilReadable(artifacts);
        System.out.println("readers moved on " + restarted.toMillis() + " ms after a SIGKILL and a restart");
        assertTrue(restarted.compareTo(TARGET) < 0, "readers waited " + restarted.toMillis() + " ms");

        // 2. the restarted process redoes the input, is killed inside its commit again, and stays dead
        awaitHanging("second");
        second.destroyForcibly();
        second.waitFor();
        Duration alone = timeUntilReadable(artifacts);
        System.out.println("readers moved on " + alone.toMillis() + " ms after a SIGKILL, the process left dead");
        assertTrue(alone.compareTo(TARGET) < 0, "readers waited " + alone.toMillis() + " ms");
    }

    /** Writes a committed record to the artifacts partition, then times how long a read_committed reader takes to see it. */
    private Duration timeUntilReadable(String topic) throws Exception {
        long start = System.nanoTime();
        TopicPartition tp = new TopicPartition(topic, 0);
        long probe;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer())) {
            probe = producer.send(new ProducerRecord<>(topic, 0, "probe", new byte[1])).get().offset();
        }
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(kafka.assignedConsumer())) {
            reader.assign(List.of(tp));
            reader.seek(tp, probe);
            while (System.nanoTime() - start < Duration.ofSeconds(120).toNanos()) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                    if (r.offset() == probe) {
                        return Duration.ofNanos(System.nanoTime() - start);
                    }
                }
            }
        }
        throw new AssertionError("the probe was not readable after 120 s");
    }

    private Process start(String in, String out, String stage, String artifacts, boolean hang, String name)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                StageProcessMain.class.getName(), kafka.bootstrap(), "p", stage, in, out, "0", "-", artifacts));
        if (hang) {
            cmd.add("hang");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log(name).toFile());
        return pb.start();
    }

    private static Path log(String name) {
        return Path.of("target", "crash-recovery-" + name + ".log");
    }

    private static void awaitHanging(String name) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log(name)) && Files.readString(log(name)).contains(CommitHangingStore.HANGING)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the " + name + " stage process never reached its commit; see " + log(name));
    }
}
