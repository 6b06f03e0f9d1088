package dev.topiary.gatherer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import dev.topiary.events.SetState;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Gather;
import dev.topiary.runtime.pipeline.GroupBy;
import dev.topiary.runtime.stage.MatrixJob;
import dev.topiary.runtime.stage.VersionIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gatherer's grouping and expiry on {@code TopologyTestDriver} (no broker, wall-clock time
 * under the test's control): sets gathered apart by key, members sorted and counted once, late
 * members dead-lettered, {@code within} emitting a partial set or dead-lettering below {@code min},
 * and failed matrix jobs upstream counted on the set.
 */
class GatherTopologyTest {
    private static final String IN = "p.swept";
    private static final String FAILED_JOBS = Topics.deadLetterOf(Topics.jobsOf("p", "sweep"));

    @TempDir
    Path state;

    private TopologyTestDriver driver(Gather gather) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gather-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        GatherSpec spec = new GatherSpec("p", "join", gather, List.of(IN), List.of(FAILED_JOBS));
        return new TopologyTestDriver(GatherTopology.build(spec), props, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static TestInputTopic<String, byte[]> input(TopologyTestDriver d, String topic) {
        return d.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    private static TestOutputTopic<String, byte[]> output(TopologyTestDriver d, String topic) {
        return d.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<ModelSet> sets(TopologyTestDriver d) {
        return output(d, "p.join.gathered").readValuesToList().stream().map(b -> Topics.modelSets("x").decode(b)).toList();
    }

    static ModelVersion version(String id, String parent) {
        return ModelVersion.newBuilder().setId(id).setParents(List.of(parent)).setLineage("v-root").setPipeline("p")
                .setStage("sweep").setOperation(new Operation(OperationKind.OTHER, Map.of()))
                .setArtifact(new ArtifactRef("file:///x", "00", 0L, ModelFormat.OPAQUE))
                .setMetrics(new Metrics(null, Map.of())).setCreatedAt(Instant.EPOCH)
                .setProducer(new Producer("test", "0")).build();
    }

    private static void send(TestInputTopic<String, byte[]> in, ModelVersion v) {
        in.pipeInput(v.getLineage(), Topics.versions(IN).encode(v));
    }

    @Test
    void setsOfTwoParentsInterleavedAreGatheredApartSortedAndCountedOnce() {
        try (TopologyTestDriver d = driver(new Gather(GroupBy.parse("parent"), 3, null, 3))) {
            var in = input(d, IN);
            send(in, version("v-x3", "v-a"));
            send(in, version("v-y2", "v-b"));
            send(in, version("v-x1", "v-a"));
            send(in, version("v-y1", "v-b"));
            send(in, version("v-x1", "v-a")); // again: counts once
            send(in, version("v-x2", "v-a"));
            send(in, version("v-y3", "v-b"));
            send(in, version("v-x4", "v-a")); // after its set was emitted

            List<ModelSet> sets = sets(d);
            assertEquals(2, sets.size());
            ModelSet a = sets.get(0);
            assertEquals("v-a", a.getKey());
            assertEquals(List.of("v-x1", "v-x2", "v-x3"), a.getMembers().stream().map(ModelVersion::getId).toList(),
                    "sorted by id, whatever the order they came in");
            assertEquals(List.of("v-x1", "v-x2", "v-x3"), a.getOrigins().stream().map(o -> o.getId()).toList());
            assertEquals(SetState.COMPLETE, a.getState());
            assertEquals(3, a.getArrived());
            assertEquals(VersionIds.deriveSet("p", "join", List.of("v-x3", "v-x1", "v-x2")), a.getId());
            ModelSet b = sets.get(1);
            assertEquals("v-b", b.getKey());
            assertEquals(List.of("v-y1", "v-y2", "v-y3"), b.getMembers().stream().map(ModelVersion::getId).toList());

            List<TestRecord<String, byte[]>> dead = output(d, Topics.deadLetterOf(IN)).readRecordsToList();
            assertEquals(1, dead.size(), "the late member");
            assertEquals("v-x4", Topics.versions(IN).decode(dead.get(0).value()).getId());
            assertTrue(header(dead.get(0), "topiary.error").startsWith("set already emitted (" + a.getId()),
                    header(dead.get(0), "topiary.error"));
            assertEquals(IN, header(dead.get(0), "topiary.source.topic"));
            assertEquals("p/join (gather)", header(dead.get(0), "topiary.stage"));
        }
    }

    @Test
    void withinEmitsWhatArrivedAsPartialOnceItPassesWithAtLeastMin() {
        try (TopologyTestDriver d = driver(new Gather(GroupBy.parse("parent"), 5, Duration.ofSeconds(10), 2))) {
            var in = input(d, IN);
            send(in, version("v-3", "v-a"));
            send(in, version("v-1", "v-a"));
            d.advanceWallClockTime(Duration.ofSeconds(5));
            send(in, version("v-2", "v-a"));
            d.advanceWallClockTime(Duration.ofSeconds(4));
            assertEquals(List.of(), sets(d), "not yet: 9 s after the first");
            d.advanceWallClockTime(Duration.ofSeconds(2)); // no record arrives: the punctuation alone fires

            List<ModelSet> sets = sets(d);
            assertEquals(1, sets.size());
            ModelSet set = sets.get(0);
            assertEquals(SetState.PARTIAL, set.getState());
            assertEquals(List.of("v-1", "v-2", "v-3"), set.getMembers().stream().map(ModelVersion::getId).toList());
            assertEquals(5, set.getExpected());
            assertEquals(3, set.getArrived());
            assertEquals("within 10s passed with 3 of 5", set.getReason());
            assertEquals(set.getFirstArrivedAt().plusSeconds(10), set.getExpiresAt(), "stored with the set");

            List<Progress> beats = output(d, Topics.PROGRESS.name()).readValuesToList().stream()
                    .map(Topics.PROGRESS::decode).toList();
            assertEquals(List.of(1, 2, 3, 3), beats.stream().map(p -> p.getGathering().getArrived()).toList());
            assertEquals(ProgressState.DONE, beats.get(3).getState());
        }
    }

    @Test
    void withinWithFewerThanMinDeadLettersEachMemberWithTheReason() {
        try (TopologyTestDriver d = driver(new Gather(GroupBy.parse("parent"), 5, Duration.ofSeconds(10), 4))) {
            var in = input(d, IN);
            for (String id : List.of("v-1", "v-2", "v-3")) {
                send(in, version(id, "v-a"));
            }
            d.advanceWallClockTime(Duration.ofSeconds(11));

            assertEquals(List.of(), sets(d));
            List<TestRecord<String, byte[]>> dead = output(d, Topics.deadLetterOf(IN)).readRecordsToList();
            assertEquals(List.of("v-1", "v-2", "v-3"), dead.stream().map(r -> Topics.versions(IN).decode(r.value()).getId()).toList());
            for (TestRecord<String, byte[]> r : dead) {
                assertEquals("gather p/join: within 10s passed with 3 of 5, fewer than min 4", header(r, "topiary.error"));
                assertEquals("v-root", r.key(), "under its own key");
            }
            send(in, version("v-4", "v-a"));
            TestRecord<String, byte[]> late = output(d, Topics.deadLetterOf(IN)).readRecord();
            assertTrue(header(late, "topiary.error").startsWith("set already refused"), header(late, "topiary.error"));
        }
    }

    @Test
    void aDeadLetteredMatrixJobCountsOnTheSetSoMinDecides() {
        try (TopologyTestDriver d = driver(new Gather(GroupBy.parse("parent"), 3, null, 2))) {
            var in = input(d, IN);
            send(in, version("v-2", "v-a"));
            send(in, version("v-1", "v-a"));
            ModelVersion jobInput = version("v-a", "v-root");
            RecordHeaders h = new RecordHeaders(MatrixJob.of(2, 3, Map.of("seed", 3)).headers().toArray());
            h.add("topiary.error", "artifact asks to fail".getBytes(StandardCharsets.UTF_8));
            input(d, FAILED_JOBS).pipeInput(new TestRecord<>("v-would-be", Topics.versions(IN).encode(jobInput), h));

            List<ModelSet> sets = sets(d);
            assertEquals(1, sets.size(), "emitted at once: nothing more can arrive");
            ModelSet set = sets.get(0);
            assertEquals(SetState.PARTIAL, set.getState());
            assertEquals(3, set.getExpected());
            assertEquals(2, set.getArrived());
            assertEquals(1, set.getFailed());
            assertEquals("v-would-be", set.getFailures().get(0).getId());
            assertEquals("artifact asks to fail", set.getFailures().get(0).getReason());
            assertEquals("1 of 3 matrix jobs failed, 2 arrived", set.getReason());
        }
    }

    @Test
    void aRecordThatIsNotAVersionIsDeadLettered() {
        try (TopologyTestDriver d = driver(new Gather(GroupBy.parse("label:team"), 2, null, 2))) {
            input(d, IN).pipeInput("k", "garbage".getBytes(StandardCharsets.UTF_8));
            send(input(d, IN), version("v-1", "v-a")); // no label 'team'
            List<TestRecord<String, byte[]>> dead = output(d, Topics.deadLetterOf(IN)).readRecordsToList();
            assertEquals(2, dead.size());
            assertTrue(header(dead.get(0), "topiary.error").startsWith("cannot gather this record: not an Avro"),
                    header(dead.get(0), "topiary.error"));
            assertEquals("cannot gather this record: version v-1 has no label 'team' to gather by", header(dead.get(1), "topiary.error"));
        }
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
