package dev.topiary.registry.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code bench registry}'s options: mixed into the command that runs {@link RegistryBenchmark}, so
 * each option's name, default and meaning are written here once.
 */
public final class RegistryBenchOptions {
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
}
