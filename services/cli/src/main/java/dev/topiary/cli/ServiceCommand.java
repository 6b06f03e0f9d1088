package dev.topiary.cli;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.ServiceKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One service alone: what each container runs. More instances of it share the stages' partitions. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Run one service kind (e.g. train, prune) for every stage of the pipelines that uses it.")
final class ServiceCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin InstanceOption instance;
    @Mixin RetryOption retries;

    @Parameters(index = "0", description = "service kind, e.g. train or prune")
    String kind;

    @Option(names = "--pipeline", required = true, description = "pipeline file (repeatable)")
    List<Path> pipelines = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, ServiceKind> all = ServiceKinds.available();
        ServiceKind chosen = all.get(kind);
        if (chosen == null) {
            throw new UserError("unknown service kind '" + kind + "' (known: " + all.keySet() + ")");
        }
        PipelineSet set = PipelineFiles.load(pipelines);
        KafkaSettings settings = connection.connect(true);
        ServiceHost host = new ServiceHost(set, Map.of(kind, chosen), settings, connection.artifacts(), instance.id(),
                retries.policy());
        if (host.runners().isEmpty()) {
            System.err.println("warning: no stage of " + pipelines + " uses '" + kind + "'; nothing to do");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(host::close));
        host.awaitTermination();
        return 0;
    }
}
