package dev.topiary.pruner.bench;

import dev.topiary.nn.bench.OneOf;
import dev.topiary.nn.data.DatasetCatalog;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench prune}'s options: mixed into the command that runs {@link PruneBenchmark}, so each
 * option's name, default and meaning are written here once.
 */
public final class PruneBenchOptions {
    private static final List<String> PARTS = List.of("mlp", "cnn");

    /** The command these options are mixed into: a refused value ends it with exit code 2 and its usage. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", paramLabel = "FILE", description = "write the records as JSON to this file")
    Path json;

    @Option(names = "--data", paramLabel = "NAME", defaultValue = DatasetCatalog.FASHION_MNIST,
            description = "the data set (default ${DEFAULT-VALUE}; with --quick, its first 3000 training and 1000 test rows)")
    String data;

    @Option(names = "--quick", description = "a few epochs on a subset: checks the benchmark runs, measures nothing worth quoting")
    boolean quick;

    @Option(names = "--only", paramLabel = "PART", description = "one part: mlp or cnn")
    String only;

    /** Refuses a part that does not exist: the run would otherwise train nothing and print an empty table. */
    void validate() {
        if (only != null) {
            OneOf.problem("--only", PARTS, only).ifPresent(problem -> {
                throw new ParameterException(command.commandLine(), problem);
            });
        }
    }
}
