package dev.topiary.gatherer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.testing.PipelineProcessMain;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gatherer's state survives a SIGKILL: with 3 of 5 members gathered the process is killed,
 * restarted on the same data directory, and the 2 others arrive; exactly one set of 5 is emitted,
 * and the stage behind it makes exactly one version.
 */
class GathererAfterKillTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void threeOfFiveThenSigkillThenTwoMoreEmitsExactlyOneSetOfFive(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("gk");
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                pipeline: %1$s
                stages:
                  - name: join
                    uses: test-join
                    from: %1$s.swept
                    to: %1$s.joined
                    gather: {by: parent, count: 5}
                """.formatted(p));
        ModelVersion parent = TextModels.publish(kafka, p + ".roots", "parent");
        List<ModelVersion> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(Members.of(kafka, p + ".roots", parent, "accuracy=0.7;m=" + i));
        }
        Path data = dir.resolve("data");
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensure(List.of(Topics.PROGRESS.name(), p + ".swept"), 1);
        }
        try (TopicReader progress = new TopicReader(kafka); TopicReader reader = new TopicReader(kafka)) {
            progress.open(Topics.PROGRESS.name(), false);
            Process first = PipelineProcessMain.start(kafka.bootstrap(), file, data, "gk", Path.of("target/gatherer-kill-1.log"));
            try {
                Members.send(kafka, p + ".swept", members.subList(0, 3));
                awaitArrived(progress, p, 3);
            } finally {
                first.destroyForcibly(); // SIGKILL with 3 of 5 gathered
                first.waitFor();
            }
            Process second = PipelineProcessMain.start(kafka.bootstrap(), file, data, "gk", Path.of("target/gatherer-kill-2.log"));
            try {
                Members.send(kafka, p + ".swept", members.subList(3, 5));
                reader.open(p + ".joined", true);
                ModelVersion joined = reader.awaitVersions(1, v -> true, Duration.ofSeconds(120)).get(0);
                Thread.sleep(2000); // room for a second set
                List<ConsumerRecord<String, byte[]>> sets = reader.readAll(Topics.gatheredOf(p, "join"));
                assertEquals(1, sets.size(), "exactly one set");
                ModelSet set = Topics.modelSets(sets.get(0).topic()).decode(sets.get(0).value());
                assertEquals(members.stream().map(ModelVersion::getId).sorted().toList(),
                        set.getMembers().stream().map(ModelVersion::getId).toList(), "all five, sorted by id");
                assertEquals(set.getMembers().stream().map(ModelVersion::getId).toList(), joined.getParents());
                assertEquals(1, reader.readVersions(p + ".joined").size(), "exactly one version behind it");
            } finally {
                second.destroyForcibly();
                second.waitFor();
            }
        }
    }

    /** Until the gatherer's heartbeat says {@code arrived} members are in (and so committed with its state). */
    private static void awaitArrived(TopicReader progress, String pipeline, int arrived) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : progress.poll(Duration.ofMillis(200))) {
                Progress beat = Topics.PROGRESS.decode(r.value());
                if (beat.getPipeline().equals(pipeline) && beat.getGathering() != null
                        && beat.getGathering().getArrived() == arrived) {
                    return;
                }
            }
        }
        throw new AssertionError("the gatherer never reported " + arrived + " arrived");
    }
}
