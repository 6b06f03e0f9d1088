package dev.topiary.registry.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.DeadLetter;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import dev.topiary.registry.RegistryTopics;
import dev.topiary.registry.state.Change;
import dev.topiary.registry.state.RegistryState;
import dev.topiary.registry.testing.HandMadeVersions;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topology without a broker: what each kind of watched record becomes, in the stores and in memory. */
class RegistryTopologyTest {
    private final RegistryTopics topics = RegistryTopics.named("reg");
    private final RegistryState state = new RegistryState();
    private final List<Change> news = new ArrayList<>();
    private final StoresLoaded loaded = new StoresLoaded();
    private TopologyTestDriver driver;

    @BeforeEach
    void start() throws Exception {
        state.addListener(news::add);
        var watched = topics.watched(Set.of("models.new", "models.out", "models.new.dlt"), java.util.regex.Pattern.compile("extra\\..*"));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "registry-topology-test");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("registry-ttd").toString());
        driver = new TopologyTestDriver(RegistryTopology.build(topics, watched, state, loaded), p);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private TestInputTopic<String, byte[]> input(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void versionsFromEveryWatchedTopicAreRegisteredByIdWithTheirEdges() {
        ModelVersion root = HandMadeVersions.version("v-root", "v-root", List.of(), OperationKind.NEW, null, Map.of());
        ModelVersion child = HandMadeVersions.version("v-child", "v-root", List.of("v-root"), OperationKind.TRAIN, "fm",
                Map.of("accuracy", 0.9));
        ModelVersion other = HandMadeVersions.version("v-other", "v-other", List.of(), OperationKind.IMPORT, null, Map.of());
        input("models.new").pipeInput("v-root", Events.MODEL_VERSION.encode(root));
        input("models.out").pipeInput("v-root", Events.MODEL_VERSION.encode(child));
        input("extra.topic").pipeInput("v-other", Events.MODEL_VERSION.encode(other));
        input("models.out").pipeInput("v-root", Events.MODEL_VERSION.encode(child)); // redelivered: still one version
        input("models.out").pipeInput("junk", "not a version".getBytes(StandardCharsets.UTF_8));

        assertTrue(loaded.all(), "every global store reported loaded");
        assertEquals(Set.of("v-root", "v-child", "v-other"), Set.copyOf(state.versions().stream().map(v -> v.id()).toList()));
        assertEquals("models.out", state.version("v-child").orElseThrow().topic());
        assertEquals(Set.of("v-child"), state.childrenOf("v-root"));
        assertEquals(2, state.lineage("v-root").size());
        assertEquals(3, news.stream().filter(c -> c instanceof Change.NewVersion).count(), "each new version announced once");
        List<String> stored = new ArrayList<>();
        try (var all = driver.<String, byte[]>getKeyValueStore(RegistryTopology.VERSIONS_STORE).all()) {
            all.forEachRemaining(kv -> stored.add(kv.key));
        }
        assertEquals(List.of("v-child", "v-other", "v-root"), stored, "the durable store holds what memory holds");
    }

    @Test
    void deadLettersKeepTheirReasonsAndAreCountedPerStageOnce() {
        ModelVersion refused = HandMadeVersions.version("v-bad", "v-bad", List.of(), OperationKind.NEW, null, Map.of());
        RecordHeaders h = new RecordHeaders();
        h.add("topiary.stage", "p/train".getBytes(StandardCharsets.UTF_8));
        h.add("topiary.error", "layer 'conv9' is not supported by train".getBytes(StandardCharsets.UTF_8));
        h.add("topiary.error.class", "java.lang.IllegalArgumentException".getBytes(StandardCharsets.UTF_8));
        h.add("topiary.source.topic", "models.new".getBytes(StandardCharsets.UTF_8));
        h.add("topiary.source.partition", "0".getBytes(StandardCharsets.UTF_8));
        h.add("topiary.source.offset", "41".getBytes(StandardCharsets.UTF_8));
        TestInputTopic<String, byte[]> dlt = input("models.new.dlt");
        dlt.pipeInput(new TestRecord<>("v-bad", Events.MODEL_VERSION.encode(refused), h, Instant.ofEpochMilli(5000)));
        dlt.pipeInput(new TestRecord<>(null, "garbage".getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Instant.ofEpochMilli(6000)));

        assertEquals(2, state.deadLetterCount());
        var byStage = state.deadLettersByStage();
        assertEquals(List.of("(unknown stage)", "p/train"), byStage.stream().map(s -> s.stage()).toList());
        DeadLetter letter = byStage.get(1).latest();
        assertEquals("layer 'conv9' is not supported by train", letter.getError());
        assertEquals(41, letter.getSourceOffset());
        assertEquals("v-bad", letter.getVersionId());
        assertEquals("models.new", byStage.get(0).latest().getSourceTopic(), "the source is the dead-letter topic's input");
        assertNull(byStage.get(0).latest().getVersionId());
        assertEquals("garbage".length(), byStage.get(0).latest().getValueBytes());
        assertEquals(2, news.stream().filter(c -> c instanceof Change.NewDeadLetter).count());
    }

    @Test
    void aJobRunsUntilItsDoneHeartbeatOrItsVersion() {
        TestInputTopic<String, byte[]> progress = input(Topics.PROGRESS.name());
        progress.pipeInput("v-job1", Events.PROGRESS.encode(heartbeat("v-job1", ProgressState.RUNNING)));
        progress.pipeInput("v-job2", Events.PROGRESS.encode(heartbeat("v-job2", ProgressState.RUNNING)));
        assertEquals(Set.of("v-job1", "v-job2"), Set.copyOf(state.running().stream().map(Progress::getJobId).toList()));

        progress.pipeInput("v-job1", Events.PROGRESS.encode(heartbeat("v-job1", ProgressState.DONE)));
        input("models.out").pipeInput("l", Events.MODEL_VERSION.encode(
                HandMadeVersions.version("v-job2", "l", List.of(), OperationKind.TRAIN, "fm", Map.of())));
        assertTrue(state.running().isEmpty(), "done jobs leave the list: " + state.running());
        assertEquals(0, driver.getKeyValueStore(RegistryTopology.PROGRESS_STORE).get("v-job1") == null ? 0 : 1,
                "the DONE heartbeat deleted the job from the store");
    }

    private static Progress heartbeat(String job, ProgressState s) {
        return new Progress(job, "v-in", "p", "train", s, 2, 10, 5, 20, 0.5, 30.0, null, Instant.now(), null, null);
    }
}
