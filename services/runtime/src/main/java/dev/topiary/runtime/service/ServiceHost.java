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
import dev.topiary.runtime.pipeline.Matrix;
import dev.topiary.runtime.stage.Fanout;
import dev.topiary.runtime.stage.InputDecoder;
import dev.topiary.runtime.stage.ProgressPublisher;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.stage.ServiceKind;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.StageRunner;
import dev.topiary.runtime.stage.Transformation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs what one process hosts: every stage of the given pipelines whose {@code uses} names one of
 * the given stage kinds, each in its own runner thread with its own consumer group, and the given
 * hosted services (Kafka Streams applications such as the gatherer and the registry), each with a
 * state directory of its own under the data directory. {@code topiary up} hosts every stage kind
 * and every hosted kind the pipelines want; {@code topiary service KIND} hosts one kind.
 *
 * <p>Order: topics first (so a hosted service finds the topics it reads), then the hosted services
 * (a gatherer feeds its stage, a registry should see the first version), then the stage runners;
 * closing goes the other way round: runners, hosted services in reverse, then the progress producer.
 */
public final class ServiceHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceHost.class);
    /** Under the data directory: {@code state/KIND} is the state directory of hosted kind KIND. */
    public static final String STATE_DIR = "state";

    private final List<StageRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, HostedService> hosted = new LinkedHashMap<>();
    private final ProgressPublisher progress;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    /** Stage runners only, as tests and {@code topiary demo} run them. */
    public ServiceHost(PipelineSet pipelines, Map<String, ServiceKind> kinds, KafkaSettings settings,
                       ArtifactOptions artifactOptions, String instanceId) {
        this(pipelines, kinds, Map.of(), settings, artifactOptions, instanceId, RetryPolicy.DEFAULT, null, Map.of());
    }

    /**
     * Creates topics and transformations (so a bad parameter fails here, naming its stage), starts
     * the hosted services, then the runners. A hosted service that fails to start stops what was
     * started and fails this constructor with its message.
     *
     * @param hostedKinds the hosted services to start (the caller chooses: all those the pipelines
     *                    want, or the one named)
     * @param retryPolicy how long each stage retries an input after a transient fault
     * @param dataDir     holds {@code state/KIND} for each hosted kind; may be null without hosted kinds
     * @param options     settings from the command line; each hosted service gets those starting
     *                    with its kind's name and a dot ({@code registry.port})
     */
    public ServiceHost(PipelineSet pipelines, Map<String, ServiceKind> kinds, Map<String, HostedKind> hostedKinds,
                       KafkaSettings settings, ArtifactOptions artifactOptions, String instanceId,
                       RetryPolicy retryPolicy, Path dataDir, Map<String, String> options) {
        if (!hostedKinds.isEmpty() && dataDir == null) {
            throw new IllegalArgumentException("hosted services need a data directory for their state");
        }
        List<PipelineStage> stages = new ArrayList<>();
        for (String kind : kinds.keySet()) {
            stages.addAll(pipelines.stagesUsing(kind));
        }
        List<StageRunner> toStart = new ArrayList<>();
        progress = new ProgressPublisher(settings);
        try {
            try (TopicAdmin admin = new TopicAdmin(settings)) {
                admin.ensure(List.of(Topics.ARTIFACTS.name(), Topics.PROGRESS.name()), 1);
                for (PipelineStage ps : stages) {
                    ServiceKind kind = kinds.get(ps.stage().uses());
                    Function<StageParams, Transformation> transformations = transformations(kind, ps.stage());
                    var defaults = ps.pipeline().topics();
                    for (StageBinding binding : bindings(ps)) {
                        admin.ensure(binding.topics(), defaults.partitions(), defaults.replicationFactor());
                        Artifacts artifacts = artifactOptions.open(settings);
                        toStart.add(StageRunner.ofKind(binding, transformations, settings, artifacts,
                                artifactOptions.maxBytes(), instanceId, Versions.TOPIARY, progress, retryPolicy));
                    }
                }
            }
            for (HostedKind kind : new TreeMap<>(hostedKinds).values()) {
                start(kind, new HostContext(pipelines, settings, artifactOptions, stateDir(dataDir, kind.name()),
                        instanceId, optionsFor(kind.name(), options)));
            }
        } catch (RuntimeException e) {
            closeHosted();
            progress.close();
            throw e;
        }
        for (StageRunner r : toStart) {
            Thread thread = new Thread(r, "stage-" + r.binding().pipeline() + "-" + r.binding().stage()
                    + r.binding().fanout().suffix());
            thread.start();
            runners.add(r);
            threads.add(thread);
            log.info("running stage {}/{} (uses {}): {} -> {}", r.binding().pipeline(), r.binding().part(),
                    r.binding().uses(), r.binding().inputs(), r.binding().outputs());
        }
    }

    private void start(HostedKind kind, HostContext context) {
        try {
            hosted.put(kind.name(), kind.start(context));
        } catch (Exception e) {
            throw new IllegalStateException("hosted service '" + kind.name() + "' failed to start: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        log.info("running hosted service {} (state in {})", kind.name(), context.stateDir());
    }

    /** {@code DATA/state/KIND}, created if missing. */
    public static Path stateDir(Path dataDir, String kind) {
        Path dir = dataDir.resolve(STATE_DIR).resolve(kind);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + dir + " of hosted service '" + kind
                    + "': " + e.getMessage(), e);
        }
        return dir;
    }

    private static Map<String, String> optionsFor(String kind, Map<String, String> options) {
        Map<String, String> mine = new TreeMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith(kind + ".")) {
                mine.put(k, v);
            }
        });
        return mine;
    }

    /**
     * How the stage's runners get their transformation: the one made here from {@code with}, or
     * for a matrix one per combination, made when its first job runs (each combination checked
     * here). Either way a bad parameter fails here, naming its stage.
     */
    private static Function<StageParams, Transformation> transformations(ServiceKind kind, StageSpec spec) {
        if (spec.matrix() == null) {
            Transformation t = kind.create(new StageParams(spec.name(), spec.with()));
            return params -> t;
        }
        for (Map<String, Object> combination : spec.matrix().combinations()) {
            kind.check(new StageParams(spec.name(), Matrix.paramsFor(spec.with(), combination)));
        }
        return kind::create;
    }

    /**
     * The runners' view of a stage: one binding, or for a matrix stage two (the expansion of its
     * inputs into jobs, and the jobs). A stage that gathers reads the sets its gatherer writes to
     * {@code PIPELINE.STAGE.gathered}, not its {@code from} topics (the gatherer reads those).
     * Each binding names its group, inputs, outputs and router (what {@code topiary health} checks).
     */
    public static List<StageBinding> bindings(PipelineStage ps) {
        StageSpec spec = ps.stage();
        String pipeline = ps.pipeline().name();
        Set<String> outputs = new LinkedHashSet<>();
        outputs.add(spec.to());
        for (Route r : spec.routes()) {
            outputs.add(r.to());
        }
        List<String> inputs = spec.gather() == null ? spec.from() : List.of(Topics.gatheredOf(pipeline, spec.name()));
        InputDecoder decoder = spec.gather() == null ? InputDecoder.VERSION : InputDecoder.MODEL_SET;
        StageBinding.RouteSelector router = (metrics, parent) -> Router.destination(spec, metrics, parent);
        if (spec.matrix() == null) {
            return List.of(new StageBinding(pipeline, spec.name(), spec.uses(), inputs, outputs, spec.with(), ps.dataset(),
                    router, decoder, Fanout.WHOLE));
        }
        String jobs = Topics.jobsOf(pipeline, spec.name());
        return List.of(
                new StageBinding(pipeline, spec.name(), spec.uses(), inputs, Set.of(jobs), spec.with(), ps.dataset(),
                        router, decoder, new Fanout.Expand(spec.matrix(), jobs)),
                new StageBinding(pipeline, spec.name(), spec.uses(), List.of(jobs), outputs, spec.with(), ps.dataset(),
                        router, decoder, new Fanout.Jobs()));
    }

    public List<StageRunner> runners() {
        return List.copyOf(runners);
    }

    /** How many stages the runners run: a matrix stage has two runners but is one stage. */
    public long stageCount() {
        return runners.stream().map(r -> r.binding().pipeline() + "/" + r.binding().stage()).distinct().count();
    }

    /** The hosted services running, by kind name. */
    public Map<String, HostedService> hostedServices() {
        return Map.copyOf(hosted);
    }

    /**
     * Blocks until {@link #close} is called, or until every stage runner has stopped on a fatal
     * error. A host with no stages (hosted services only, or nothing at all, e.g. {@code topiary up}
     * as a bare broker) waits for close.
     */
    public void awaitTermination() throws InterruptedException {
        while (!closed.await(500, TimeUnit.MILLISECONDS)) {
            if (!threads.isEmpty() && threads.stream().noneMatch(Thread::isAlive)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        runners.forEach(StageRunner::close);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeHosted();
        progress.close();
        closed.countDown();
    }

    private void closeHosted() {
        List<String> names = new ArrayList<>(hosted.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            try {
                hosted.get(names.get(i)).close();
            } catch (RuntimeException e) {
                log.warn("hosted service {} failed to close cleanly: {}", names.get(i), e.toString());
            }
        }
        hosted.clear();
    }
}
