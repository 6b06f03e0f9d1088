package dev.topiary.cutter.bench;

import dev.topiary.nn.bench.OneOf;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench cut}'s options: mixed into the command that runs {@link CutBenchmark}, so each
 * option's name, default and meaning are written here once. The sizes left out default by
 * {@code --quick}: a small run that checks the benchmark works.
 */
public final class CutBenchOptions {
    private static final List<String> PARTS = List.of("resmlp", "bridge", "mlp", "cnn");

    /** The command these options are mixed into: a refused value ends it with exit code 2 and its usage. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", paramLabel = "FILE", description = "write the rows and the Spearman rho as JSON to this file")
    Path json;

    @Option(names = "--quick", description = "a few epochs on a subset: checks the benchmark runs, measures nothing worth quoting")
    boolean quick;

    @Option(names = "--train", paramLabel = "N", description = "training rows to use (default: all; 3000 with --quick)")
    Integer train;

    @Option(names = "--epochs", paramLabel = "N", description = "baseline epochs (default 10, 2 with --quick; rescnn at most 6)")
    Integer epochs;

    @Option(names = "--only", paramLabel = "PART",
            description = "one part: resmlp, bridge (the resmlp baseline and its bridge rows), mlp or cnn")
    String only;

    @Option(names = "--filters", paramLabel = "N", description = "rescnn's width (default 16; 8 with --quick)")
    Integer filters;

    @Option(names = "--baselines", paramLabel = "DIR",
            description = "save trained baselines here and reuse them in later runs (named by model, epochs and data)")
    Path baselines;

    /** Refuses a part that does not exist: the run would otherwise train nothing and print an empty table. */
    void validate() {
        if (only != null) {
            OneOf.problem("--only", PARTS, only).ifPresent(problem -> {
                throw new ParameterException(command.commandLine(), problem);
            });
        }
    }

    /** 0: all of them. */
    int trainRows() {
        return train != null ? train : quick ? 3000 : 0;
    }

    int epochs() {
        return epochs != null ? epochs : quick ? 2 : 10;
    }

    int filters() {
        return filters != null ? filters : quick ? 8 : 16;
    }
}
