package dev.topiary.cli;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.HostedKind;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.ServiceKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One service alone: what each container runs. A stage kind ({@code train}, {@code prune}) runs every
 * stage of the pipelines that uses it, and more instances of it share the stages' partitions; a
 * hosted kind ({@code registry}, ...) runs that one service, with its state under the data directory.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Run one service kind: a stage kind (e.g. train, prune) for every stage of the pipelines that uses it, "
                + "or a hosted service (e.g. registry) with its state under --data-dir.")
final class ServiceCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin HostOptions hosting;
    @Mixin InstanceOption instance;
    @Mixin RetryOption retries;

    @Parameters(index = "0", description = "service kind, e.g. train, prune or a hosted service")
    String kind;

    @Option(names = "--pipeline", description = "pipeline file (repeatable); required for a stage kind")
    List<Path> pipelines = new ArrayList<>();

    // A container restarted "unless stopped" would start an unused kind again and again; the
    // compose file runs every kind, whatever pipeline it is given, so there it waits instead.
    @Option(names = "--stay-up", description = "keep running when no stage of the pipelines uses this kind "
            + "(default: say so and exit)")
    boolean stayUp;

    @Override
    public Integer call() throws Exception {
        Map<String, ServiceKind> stageKinds = ServiceKinds.available();
        Map<String, HostedKind> hostedKinds = ServiceKinds.hosted();
        ServiceKind stageKind = stageKinds.get(kind);
        HostedKind hostedKind = hostedKinds.get(kind);
        if (stageKind == null && hostedKind == null) {
            TreeSet<String> known = new TreeSet<>(stageKinds.keySet());
            known.addAll(hostedKinds.keySet());
            throw new UserError("unknown service kind '" + kind + "' (known: " + known + ")");
        }
        if (stageKind != null && pipelines.isEmpty()) {
            throw new UserError("'" + kind + "' runs pipeline stages: give --pipeline FILE");
        }
        PipelineSet set = PipelineFiles.load(pipelines);
        Map<String, String> options = hosting.serviceOptions(hostedKinds.keySet());
        KafkaSettings settings = connection.connect(true);
        ServiceHost host = stageKind != null
                ? new ServiceHost(set, Map.of(kind, stageKind), Map.of(), settings, connection.artifacts(), instance.id(),
                        retries.policy(), hosting.dataDir, options)
                : new ServiceHost(set, Map.of(), Map.of(kind, hostedKind), settings, connection.artifacts(), instance.id(),
                        retries.policy(), hosting.dataDir, options);
        if (stageKind != null && host.runners().isEmpty()) {
            System.err.println("warning: no stage of " + pipelines + " uses '" + kind + "'; nothing to do"
                    + (stayUp ? " (staying up: --stay-up)" : ""));
            if (!stayUp) {
                host.close();
                return 0;
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "topiary-shutdown"));
        System.err.println("topiary service " + kind + " is up on " + settings.bootstrap() + "; Ctrl-C stops");
        HostedUrls.print(host);
        host.awaitTermination();
        return 0;
    }
}
