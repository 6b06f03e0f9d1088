package dev.topiary.cli;

import dev.topiary.registry.RegistryKind;
import dev.topiary.registry.RegistryOptions;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.HostedKind;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.StageRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Everything in one process: the embedded broker (unless a cluster is named), every stage the
 * pipelines have, and every hosted service they want. Runs until SIGINT or SIGTERM, also with no
 * pipeline at all, so {@code topiary up} in one terminal serves {@code topiary service ...},
 * {@code publish} and {@code watch} in others.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the embedded Kafka broker (unless --bootstrap names a cluster), every stage of the pipelines "
                + "and the hosted services they want; run until Ctrl-C (SIGINT) or SIGTERM.")
final class UpCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin EmbeddedBrokerOptions embedded;
    @Mixin HostOptions hosting;
    @Mixin InstanceOption instance;
    @Mixin RetryOption retries;

    @Option(names = "--pipeline", description = "pipeline file (repeatable); none: the broker and hosted services alone")
    List<Path> pipelines = new ArrayList<>();

    @Option(names = "--registry-port", paramLabel = "PORT",
            description = "port of the registry's page and API on 127.0.0.1 (default " + RegistryOptions.DEFAULT_PORT + "; 0: any free port)")
    Integer registryPort;

    @Option(names = "--registry-topics", paramLabel = "REGEX",
            description = "the registry also registers versions on topics matching this, beside the pipelines' own")
    String registryTopics;

    @Option(names = "--no-registry", description = "leave the registry out")
    boolean noRegistry;

    @Option(names = "--lag-every", description = "print each stage's lag (records waiting), instances and partitions every this many seconds")
    Integer lagEverySeconds;

    @Override
    public Integer call() throws Exception {
        PipelineSet set = PipelineFiles.load(pipelines);
        Map<String, String> options = new HashMap<>(hosting.serviceOptions(ServiceKinds.hosted().keySet()));
        Map<String, HostedKind> hosted = new TreeMap<>(ServiceKinds.hostedWantedBy(set));
        if (noRegistry) {
            hosted.remove(RegistryKind.NAME);
        } else {
            if (registryPort != null) {
                options.put(RegistryOptions.PORT, String.valueOf(registryPort));
            }
            if (registryTopics != null) {
                options.put(RegistryOptions.TOPICS, registryTopics);
            }
        }
        EmbeddedKafkaBroker broker = connection.explicitBootstrap() == null ? embedded.start(hosting.dataDir) : null;
        if (broker == null && embedded.secure) {
            throw new UserError("--secure secures the embedded broker; with --bootstrap, pass the cluster's client settings with --kafka-config");
        }
        KafkaSettings settings = broker == null ? connection.connect(true) : EmbeddedBrokerOptions.settings(broker, connection);
        ServiceHost host;
        try {
            host = new ServiceHost(set, ServiceKinds.available(), hosted, settings, connection.artifacts(), instance.id(),
                    retries.policy(), hosting.dataDir, options);
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
        LagReporter lag = lagEverySeconds == null ? null : new LagReporter(settings,
                host.runners().stream().map(StageRunner::binding).toList(), Duration.ofSeconds(lagEverySeconds), System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (lag != null) {
                lag.close();
            }
            host.close();
            if (broker != null) {
                broker.close();
            }
            System.err.println("topiary stopped");
        }, "topiary-shutdown"));
        System.err.println("topiary is up on the broker at " + settings.bootstrap() + ": " + host.stageCount() + " stage(s)"
                + (hosted.isEmpty() ? "" : ", hosted " + String.join(", ", hosted.keySet())) + "; Ctrl-C stops");
        HostedUrls.print(host);
        host.awaitTermination();
        return 0;
    }
}
