package dev.topiary.runtime.service;

import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.Versions;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.PipelineStage;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.Router;
import dev.topiary.runtime.pipeline.StageSpec;
import dev.topiary.runtime.stage.ProgressPublisher;
import dev.topiary.runtime.stage.ServiceKind;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.StageRunner;
import dev.topiary.runtime.stage.Transformation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every stage of the given pipelines whose {@code uses} names one of the given service kinds,
 * each stage in its own runner thread with its own consumer group. {@code topiary up} hosts every
 * kind in one process; {@code topiary service KIND} hosts one.
 */
public final class ServiceHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceHost.class);

    private final List<StageRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ProgressPublisher progress;

    /**
     * Creates topics and transformations (so a bad parameter fails here, naming its stage) and
     * starts the runners.
     */
    public ServiceHost(PipelineSet pipelines, Map<String, ServiceKind> kinds, KafkaSettings settings,
                       ArtifactOptions artifactOptions, String instanceId) {
        List<PipelineStage> stages = new ArrayList<>();
        for (String kind : kinds.keySet()) {
            stages.addAll(pipelines.stagesUsing(kind));
        }
        List<StageRunner> toStart = new ArrayList<>();
        progress = new ProgressPublisher(settings);
        try (TopicAdmin admin = new TopicAdmin(settings)) {
            admin.ensure(List.of(Topics.ARTIFACTS, Topics.PROGRESS), 1);
            for (PipelineStage ps : stages) {
                StageBinding binding = bind(ps);
                var defaults = ps.pipeline().topics();
                admin.ensure(binding.topics(), defaults.partitions(), defaults.replicationFactor());
                Transformation t = kinds.get(ps.stage().uses()).create(new StageParams(binding.stage(), binding.params()));
                Artifacts artifacts = artifactOptions.open(settings);
                toStart.add(new StageRunner(binding, t, settings, artifacts, artifactOptions.maxBytes(), instanceId,
                        Versions.TOPIARY, progress));
            }
        }
        for (StageRunner r : toStart) {
            Thread thread = new Thread(r, "stage-" + r.binding().pipeline() + "-" + r.binding().stage());
            thread.start();
            runners.add(r);
            threads.add(thread);
            log.info("running stage {}/{} (uses {}): {} -> {}", r.binding().pipeline(), r.binding().stage(),
                    r.binding().uses(), r.binding().inputs(), r.binding().outputs());
        }
    }

    /** The binding a host runs {@code ps} with: its group, inputs, outputs and router. */
    public static StageBinding bind(PipelineStage ps) {
        StageSpec spec = ps.stage();
        Set<String> outputs = new LinkedHashSet<>();
        outputs.add(spec.to());
        for (Route r : spec.routes()) {
            outputs.add(r.to());
        }
        return new StageBinding(ps.pipeline().name(), spec.name(), spec.uses(), spec.from(), outputs, spec.with(),
                ps.dataset(), (metrics, parent) -> Router.destination(spec, metrics, parent));
    }

    public List<StageRunner> runners() {
        return List.copyOf(runners);
    }

    /** Blocks until every runner stops (on close, or on a fatal error). */
    public void awaitTermination() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    @Override
    public void close() {
        runners.forEach(StageRunner::close);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        progress.close();
    }
}
