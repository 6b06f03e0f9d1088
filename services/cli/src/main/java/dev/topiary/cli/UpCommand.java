package dev.topiary.cli;

import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.StageRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Everything in one process: the embedded broker (unless a cluster is named) and every service the pipelines use. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the embedded Kafka broker (unless --bootstrap names a cluster) and every service the pipelines use.")
final class UpCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin EmbeddedBrokerOptions embedded;
    @Mixin InstanceOption instance;

    @Option(names = "--pipeline", description = "pipeline file (repeatable)")
    List<Path> pipelines = new ArrayList<>();

    @Option(names = "--lag-every", description = "print each stage's lag (records waiting), instances and partitions every this many seconds")
    Integer lagEverySeconds;

    @Override
    public Integer call() throws Exception {
        PipelineSet set = PipelineFiles.load(pipelines);
        EmbeddedKafkaBroker broker = connection.explicitBootstrap() == null ? embedded.start() : null;
        if (broker == null && embedded.secure) {
            throw new UserError("--secure secures the embedded broker; with --bootstrap, pass the cluster's client settings with --kafka-config");
        }
        KafkaSettings settings = broker == null ? connection.settings() : EmbeddedBrokerOptions.settings(broker, connection);
        ServiceHost host = new ServiceHost(set, ServiceKinds.available(), settings, connection.artifacts(), instance.id());
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
        }));
        System.err.println("topiary is up: " + host.runners().size() + " stage(s) running on " + settings.bootstrap()
                + "; Ctrl-C stops");
        host.awaitTermination();
        return 0;
    }
}
