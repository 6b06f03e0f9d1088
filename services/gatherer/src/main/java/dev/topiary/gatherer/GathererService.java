package dev.topiary.gatherer;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.service.HostedService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gatherer: for each stage that gathers, a Kafka Streams application (exactly once, its sets
 * in changelogged stores under {@code DATA/state/gatherer}) that groups the versions arriving on
 * the stage's {@code from} topics by {@code gather.by}, and writes each set, once complete (or
 * partial after {@code within}, or after upstream matrix jobs failed, with at least {@code min}),
 * to {@code PIPELINE.STAGE.gathered}, which the stage reads as one input with several parents.
 * One application per stage, so stages gather independently and each keeps its state across
 * pipeline changes; more instances of the service share each application's partitions.
 */
public final class GathererService implements HostedService {
    private static final Logger log = LoggerFactory.getLogger(GathererService.class);

    private final List<KafkaStreams> apps = new ArrayList<>();

    private GathererService(HostContext context) {
        List<GatherSpec> specs = GatherSpec.allOf(context.pipelines());
        createTopics(context, specs);
        try {
            for (GatherSpec spec : specs) {
                KafkaStreams streams = new KafkaStreams(GatherTopology.build(spec), config(context, spec));
                streams.setUncaughtExceptionHandler(e -> {
                    log.error("[{}] gatherer stream thread failed; replacing it", spec.label(), e);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                });
                streams.start();
                apps.add(streams);
                log.info("[{}] gathering {} by {}, {} a set{}{} -> {}", spec.label(), spec.from(), spec.gather().by(),
                        spec.gather().count(), spec.gather().within() == null ? "" : ", within " + spec.gather().within(),
                        spec.gather().min() < spec.gather().count() ? ", min " + spec.gather().min() : "", spec.gatheredTopic());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static GathererService start(HostContext context) {
        return new GathererService(context);
    }

    /** Kafka Streams fails on a missing source topic, and the gatherer may start before any stage creates them. */
    private static void createTopics(HostContext context, List<GatherSpec> specs) {
        try (TopicAdmin admin = new TopicAdmin(context.settings())) {
            admin.ensure(List.of(Topics.PROGRESS.name()), 1);
            for (GatherSpec spec : specs) {
                Pipeline p = context.pipelines().pipeline(spec.pipeline()).orElseThrow();
                Set<String> topics = new LinkedHashSet<>(spec.sources());
                spec.from().forEach(t -> topics.add(Topics.deadLetterOf(t)));
                topics.add(spec.gatheredTopic());
                topics.add(Topics.deadLetterOf(spec.gatheredTopic()));
                admin.ensure(topics, p.topics().partitions(), p.topics().replicationFactor());
            }
        }
    }

    static Properties config(HostContext context, GatherSpec spec) {
        KafkaSettings settings = context.settings();
        Properties p = new Properties();
        p.putAll(settings.admin());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, spec.applicationId());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, spec.applicationId() + "-" + context.instanceId());
        Path state = context.stateDir().resolve(spec.pipeline() + "." + spec.stage());
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put("processing.exception.handler.global.enabled", true); // what Kafka 5 will do; silences its warning
        // a set carries its members' events; a large one is more than the default 1 MB request
        p.put(StreamsConfig.producerPrefix("max.request.size"), 2 * 1024 * 1024);
        context.options().forEach((k, v) -> p.put(k.substring(k.indexOf('.') + 1), v));
        return p;
    }

    @Override
    public void close() {
        for (KafkaStreams streams : apps) {
            streams.close(Duration.ofSeconds(30));
        }
        apps.clear();
    }
}
