package dev.topiary.cli;

import dev.topiary.runtime.soak.ChaosSoak;
import dev.topiary.runtime.soak.SoakReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code topiary soak}: the chaos soak of {@link ChaosSoak}, printing its report; exit 1 unless exactly once. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Chaos soak on a local embedded broker: versions through 3 stages x 2 instances while service processes are SIGKILLed and the broker restarts; reports duplicates, losses, dead letters. Exit 1 unless every version arrived exactly once.")
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--versions", defaultValue = "200", description = "versions to publish (default ${DEFAULT-VALUE})")
    int versions;

    @Option(names = "--kills", defaultValue = "6", description = "SIGKILLs of service processes, at random moments (default ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--broker-restarts", defaultValue = "1", description = "restarts of the broker (default ${DEFAULT-VALUE})")
    int brokerRestarts;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the kill moments (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "write the report as JSON to this file")
    Path json;

    @Option(names = "--data-dir", defaultValue = ".topiary/soak", description = "where each run's broker data and process logs go (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Path dir = ChaosSoak.freshDir(dataDir);
        System.err.println("soak: data and service process logs in " + dir);
        SoakReport report = new ChaosSoak(new ChaosSoak.Plan(versions, kills, brokerRestarts, seed), dir, System.err).run();
        System.out.print(report.describe());
        if (json != null) {
            report.writeJson(json);
        }
        if (!report.exactlyOnce()) {
            System.err.println("soak: kept " + dir + " (broker data, service process logs) for a look");
            return 1;
        }
        RepoPaths.deleteRecursively(dir);
        return 0;
    }
}
