package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.testing.StageProcessMain;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across a crash: a stage process is killed with SIGKILL mid-way through 20 inputs
 * and restarted; the output topic (read committed) holds each of the 20 outputs exactly once.
 */
class ExactlyOnceAfterKillTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void twentyVersionsSurviveASigkillExactlyOnce() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensure(List.of(in, out, Topics.deadLetterOf(in), Topics.ARTIFACTS.name(), Topics.PROGRESS.name()));
        }
        Set<String> inputs = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            inputs.add(TextModels.publish(kafka, in, "accuracy=0." + i + ";n=" + i).getId());
        }
        String instance = TestBroker.unique("instance");
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.open(out, true);
            Process first = startStage(in, out, instance);
            try {
                reader.awaitVersions(6, v -> true, Duration.ofSeconds(120));
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close, a transaction may be open
                first.waitFor();
            }
            Process second = startStage(in, out, instance);
            try {
                long deadline = System.currentTimeMillis() + 180_000;
                while (distinctIds(out).size() < 20 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(1000);
                }
                Thread.sleep(3000); // room for any duplicate to show up
                List<ModelVersion> all = reader.readVersions(out);
                Set<String> ids = new HashSet<>();
                Set<String> parents = new HashSet<>();
                all.forEach(v -> {
                    ids.add(v.getId());
                    parents.add(v.getParents().get(0));
                });
                assertEquals(20, ids.size(), "distinct output ids");
                assertEquals(20, all.size(), "each output exactly once");
                assertEquals(inputs, parents);
            } finally {
                second.destroyForcibly();
                second.waitFor();
            }
        }
    }

    private static Set<String> distinctIds(String topic) {
        try (TopicReader r = new TopicReader(TestBroker.settings())) {
            Set<String> ids = new HashSet<>();
            r.readVersions(topic).forEach(v -> ids.add(v.getId()));
            return ids;
        }
    }

    private Process startStage(String in, String out, String instance) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StageProcessMain.class.getName(), kafka.bootstrap(), "p", "copy", in, out, "400", instance);
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File("target/stage-process-" + instance + ".log"));
        Process p = pb.start();
        assertTrue(p.isAlive());
        return p;
    }
}
