package dev.topiary.runtime.testing;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.PipelineException;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.ServiceKind;
import dev.topiary.runtime.stage.StageRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One pipeline running on the shared embedded test broker, so a service's end-to-end test is a few
 * lines: start it from the YAML of its stages, publish root versions, await the versions a stage
 * outputs and the dead letters it refuses. Topics are named {@code <pipeline>.<suffix>}, with a
 * pipeline name no other test uses; write {@code ${p}} in the YAML where that name goes.
 *
 * <pre>{@code
 * try (PipelineHarness p = PipelineHarness.start("""
 *         dataset: fashion-mnist?train=3000&test=1000
 *         stages:
 *           - {name: prune, uses: prune, from: ${p}.in, to: ${p}.out, with: {sparsity: 0.5}}
 *         """, Map.of("prune", new PrunerService()))) {
 *     p.publish(root, "in");
 *     ModelVersion pruned = p.awaitVersions(1, Duration.ofMinutes(2), "out").get(0);
 *     String reason = p.awaitDeadLetterReasons("in", 1).get(0);
 * }
 * }</pre>
 */
public final class PipelineHarness implements AutoCloseable {
    private final String name;
    private final KafkaSettings kafka;
    private final ServiceHost host;
    private final VersionPublisher publisher;
    private final Artifacts artifacts;

    private PipelineHarness(String name, KafkaSettings kafka, ServiceHost host) {
        this.name = name;
        this.kafka = kafka;
        this.host = host;
        this.artifacts = Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES);
        this.publisher = new VersionPublisher(kafka, artifacts);
    }

    /**
     * Starts every stage of the pipeline in {@code stagesYaml} (everything but its {@code pipeline:}
     * line, with {@code ${p}} for the pipeline name) whose kind is in {@code kinds}.
     */
    public static PipelineHarness start(String stagesYaml, Map<String, ServiceKind> kinds) throws PipelineException {
        String name = TestBroker.unique("pipe").replace('-', '_');
        KafkaSettings kafka = TestBroker.settings();
        try {
            Path file = Files.createTempDirectory("topiary-pipeline").resolve(name + ".yaml");
            Files.writeString(file, "pipeline: " + name + "\n" + stagesYaml.replace("${p}", name));
            PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.catalog(kinds));
            return new PipelineHarness(name, kafka, new ServiceHost(set, kinds, kafka, ArtifactOptions.DEFAULT,
                    TestBroker.unique("instance")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pipeline's unique name. */
    public String name() {
        return name;
    }

    /** The full name of topic {@code <pipeline>.<suffix>}. */
    public String topic(String suffix) {
        return name + "." + suffix;
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    /** Publishes a root version (artifact included) to {@code <pipeline>.<suffix>}. */
    public ModelVersion publish(VersionPublisher.RootVersion root, String suffix) {
        return publisher.publish(root, topic(suffix));
    }

    /** The first {@code count} versions on the given topics (by suffix), read from the beginning; fails after {@code timeout}. */
    public List<ModelVersion> awaitVersions(int count, Duration timeout, String... suffixes) {
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.open(Arrays.stream(suffixes).map(this::topic).toList(), true);
            return reader.awaitVersions(count, v -> true, timeout);
        }
    }

    /** Every version on {@code <pipeline>.<suffix>} now, without waiting. */
    public List<ModelVersion> readVersions(String suffix) {
        try (TopicReader reader = new TopicReader(kafka)) {
            return reader.readVersions(topic(suffix));
        }
    }

    /** The {@code topiary.error} header of each of exactly {@code count} dead letters of input {@code <pipeline>.<suffix>}. */
    public List<String> awaitDeadLetterReasons(String inputSuffix, int count) throws InterruptedException {
        return DeadLetterWait.await(kafka, topic(inputSuffix), count).stream()
                .map(r -> DeadLetterWait.header(r, "topiary.error")).toList();
    }

    /**
     * The first heartbeat of this pipeline's stage {@code stage} on the progress topic that
     * {@code filter} accepts, read from the beginning; fails after {@code timeout}.
     */
    public Progress awaitProgress(String stage, Predicate<Progress> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.open(Topics.PROGRESS.name(), true);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    Progress p = Topics.PROGRESS.decode(r.value());
                    if (p.getPipeline().equals(name) && p.getStage().equals(stage) && filter.test(p)) {
                        return p;
                    }
                }
            }
        }
        throw new AssertionError("no matching progress of stage " + stage + " within " + timeout);
    }

    /** Inputs the runners of stage {@code stage} have committed (published, reported or dead-lettered). */
    public int processed(String stage) {
        return host.runners().stream().filter(r -> r.binding().stage().equals(stage)).mapToInt(StageRunner::processedCount).sum();
    }

    /** The verified artifact bytes of a version. */
    public byte[] artifact(ModelVersion version) {
        return artifacts.get(version.getArtifact());
    }

    /** The version a stage produced, from a list of versions. */
    public static ModelVersion byStage(List<ModelVersion> versions, String stage) {
        return versions.stream().filter(v -> v.getStage().equals(stage)).findFirst()
                .orElseThrow(() -> new AssertionError("no version from stage " + stage + " in " + versions.size()));
    }

    @Override
    public void close() throws Exception {
        publisher.close();
        artifacts.close();
        host.close();
    }
}
