package dev.topiary.cli;

import dev.topiary.runtime.health.HealthProbe;
import dev.topiary.runtime.health.HealthReport;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.PipelineStage;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.StageBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Whether the broker answers and every stage (of one service kind, with {@code --uses}) has a
 * running instance holding all its input partitions; prints the lag of each. Exit 0 when healthy,
 * 1 when not: a container health check as it is.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Check that the broker is reachable and the pipelines' stages are assigned; print each stage's lag. Exit 1 if unhealthy.")
final class HealthCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Option(names = "--pipeline", description = "pipeline file whose stages to check (repeatable; none: the broker only)")
    List<Path> pipelines = new ArrayList<>();

    @Option(names = "--uses", description = "check only the stages that use this service kind (e.g. train)")
    String uses;

    @Option(names = "--max-lag", description = "a stage with more waiting input records than this is unhealthy (default: lag never fails)")
    long maxLag = Long.MAX_VALUE;

    @Option(names = "--timeout", defaultValue = "10", description = "seconds to wait for each answer (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Set<String> kinds = ServiceKinds.available().keySet();
        if (uses != null && !kinds.contains(uses)) { // a typo must not make every check pass
            throw new UserError("--uses " + uses + ": no such service kind (known: " + String.join(", ", new TreeSet<>(kinds)) + ")");
        }
        List<StageBinding> stages = stages(PipelineFiles.load(pipelines), uses);
        if (uses != null && !pipelines.isEmpty() && stages.isEmpty()) { // an idle service: healthy while the broker answers
            System.out.println("no stage of these pipelines uses " + uses + ": only the broker is checked");
        }
        try (HealthProbe probe = new HealthProbe(connection.settings(), Duration.ofSeconds(timeoutSeconds))) {
            HealthReport report = probe.check(stages, maxLag);
            System.out.print(report.describe());
            return report.healthy() ? 0 : 1;
        }
    }

    /** Every stage of the pipelines, or those that use {@code kind}. */
    static List<StageBinding> stages(PipelineSet set, String kind) {
        List<PipelineStage> chosen = kind != null ? set.stagesUsing(kind) : set.pipelines().stream()
                .flatMap(p -> p.stages().stream().map(s -> new PipelineStage(p, s)))
                .toList();
        return chosen.stream().flatMap(ps -> ServiceHost.bindings(ps).stream()).toList();
    }
}
