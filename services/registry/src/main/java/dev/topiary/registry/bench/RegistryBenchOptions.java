package dev.topiary.registry.bench;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench registry}'s options: mixed into the command that runs {@link RegistryBenchmark}, so
 * each option's name, default and meaning are written here once.
 */
public final class RegistryBenchOptions {
    /** The command these options are mixed into: a refused value ends it with exit code 2 and its usage. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", paramLabel = "FILE", description = "write the result as JSON to this file")
    Path json;

    @Option(names = "--lineages", paramLabel = "N", defaultValue = "100", description = "lineages (default ${DEFAULT-VALUE})")
    int lineages;

    @Option(names = "--per-lineage", paramLabel = "N", defaultValue = "100", description = "versions per lineage (default ${DEFAULT-VALUE})")
    int perLineage;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "1000",
            description = "requests timed on /api/frontier and on /api/lineage (default ${DEFAULT-VALUE};"
                    + " a quarter as many on the frontier of all lineages)")
    int requests;

    @Option(names = "--page-versions", paramLabel = "N", defaultValue = "1000",
            description = "versions of the lineage the page shows (default ${DEFAULT-VALUE})")
    int pageVersions;

    /** Refuses a count below 1 before the broker starts, not seconds into the run where it would fail. */
    void validate() {
        atLeastOne("--lineages", lineages);
        atLeastOne("--per-lineage", perLineage);
        atLeastOne("--requests", requests);
        atLeastOne("--page-versions", pageVersions);
    }

    private void atLeastOne(String option, int value) {
        if (value < 1) {
            throw new ParameterException(command.commandLine(), option + " must be at least 1, got " + value);
        }
    }
}
