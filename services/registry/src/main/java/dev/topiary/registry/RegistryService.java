package dev.topiary.registry;

import dev.topiary.registry.http.RegistryApi;
import dev.topiary.registry.state.RegistryState;
import dev.topiary.registry.stream.RegistryTopology;
import dev.topiary.registry.stream.StoresLoaded;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.service.HostedService;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry: every version the pipelines make, with its lineage, dead letters, running jobs and
 * aliases, served over HTTP with a live web page. A Kafka Streams application (exactly once)
 * registers what it finds on the watched topics in compacted topics of its own; every instance
 * keeps all of it in global stores under its state directory, so any instance answers for every
 * key, and a restarted one is complete again from its local stores and their topics' tails.
 */
public final class RegistryService implements HostedService {
    private static final Logger log = LoggerFactory.getLogger(RegistryService.class);
    /** The first start reads every registered entry; after that, the local stores and a tail. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final RegistryState state = new RegistryState();
    private final KafkaStreams streams;
    private final Artifacts artifacts;
    private final RegistryApi api;
    private final String url;

    private RegistryService(HostContext context, RegistryOptions options) throws InterruptedException {
        RegistryTopics topics = RegistryTopics.named(options.name());
        createTopics(context, topics);
        Pattern watched = topics.watched(RegistryTopics.ofPipelines(context.pipelines()), options.topics());
        StoresLoaded loaded = new StoresLoaded();
        streams = new KafkaStreams(RegistryTopology.build(topics, watched, state, loaded),
                streamsConfig(context, options));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            log.error("registry stream thread failed; replacing it", e);
            failure.set(e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            // RUNNING comes after the global thread has restored every global store
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            if (!running.await(READY_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                    || !loaded.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw new IllegalStateException("registry not ready after " + READY_TIMEOUT.toMinutes() + " min (Kafka Streams is "
                        + streams.state() + (failure.get() == null ? "" : ", last error: " + failure.get()) + ")");
            }
            artifacts = context.artifacts().open(context.settings());
            try {
                api = RegistryApi.start(state, artifacts, options.host(), options.port());
            } catch (RuntimeException e) {
                artifacts.close();
                throw new IllegalStateException("cannot serve the registry on " + options.host() + ":" + options.port() + ": "
                        + (e.getMessage() == null ? e : e.getMessage())
                        + " (is another process on that port? choose one with --registry-port, or leave it out with --no-registry)", e);
            }
        } catch (RuntimeException | InterruptedException e) {
            stop(streams);
            throw e;
        }
        url = "http://" + hostForUrl(options.host()) + ":" + api.port();
        log.info("registry {} ready at {}: {} versions, watching {}", options.name(), url, state.versionCount(), watched);
    }

    /** Starts the registry and returns once its state is complete and its API answers. */
    public static RegistryService start(HostContext context) throws InterruptedException {
        return new RegistryService(context, RegistryOptions.from(context.options()));
    }

    /** Where the page and the API are, e.g. {@code http://127.0.0.1:7070}. */
    public String url() {
        return url;
    }

    public int port() {
        return api.port();
    }

    /** What this instance knows; for tests and the benchmark, which wait on it. */
    public RegistryState state() {
        return state;
    }

    private static void createTopics(HostContext context, RegistryTopics topics) {
        try (TopicAdmin admin = new TopicAdmin(context.settings())) {
            admin.ensureCompacted(topics.owned());
            // the topics the pipelines will use, as their stages would create them, so the registry
            // may start first and still subscribe to them at once
            for (Pipeline p : context.pipelines().pipelines()) {
                admin.ensure(RegistryTopics.ofPipeline(p), p.topics().partitions(), p.topics().replicationFactor());
            }
            admin.ensure(List.of(Topics.PROGRESS.name()), 1);
        }
    }

    private static Properties streamsConfig(HostContext context, RegistryOptions options) {
        KafkaSettings settings = context.settings();
        Properties p = new Properties();
        p.putAll(settings.admin());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, options.name());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, options.name() + "-" + context.instanceId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, context.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // a pattern subscription sees topics created later at the next metadata refresh (default 5 min)
        p.put(StreamsConfig.mainConsumerPrefix("metadata.max.age.ms"), 10_000);
        p.put(StreamsConfig.producerPrefix("max.request.size"), 2 * 1024 * 1024);
        // StoreFeed skips an entry it cannot read itself; this only routes other failures the same way
        p.put("processing.exception.handler.global.enabled", true);
        return p;
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        api.close();
        stop(streams);
        artifacts.close();
    }

    /**
     * Leaves the group on the way out, so the instances left (or this one restarted) take over its
     * partitions at once instead of after the session timeout (45 s).
     */
    private static void stop(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
