package dev.topiary.merger.bench;

import dev.topiary.nn.bench.OneOf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench merge}'s options: mixed into the command that runs {@link MergeBenchmark}, so each
 * option's name, default and meaning are written here once.
 */
public final class MergeBenchOptions {
    private static final List<String> PARTS = List.of("fusions", "soups", "inits", "inits-cnn", "tasks", "neurons", "layers");
    /** --quick's epoch scale: a run that checks the benchmark works. */
    private static final double QUICK_SCALE = 0.2;

    /** The command these options are mixed into: a refused value ends it with exit code 2 and its usage. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", paramLabel = "FILE", description = "write the rows as JSON to this file")
    Path json;

    @Option(names = "--quick", description = "a few epochs on a subset: checks the benchmark runs, measures nothing worth quoting")
    boolean quick;

    @Option(names = "--only", paramLabel = "PART",
            description = "one part: fusions, soups, inits, inits-cnn, tasks, neurons or layers (repeatable)")
    List<String> only = new ArrayList<>();

    @Option(names = "--epochs-scale", paramLabel = "F", defaultValue = "1",
            description = "multiply every epoch count (default ${DEFAULT-VALUE}; " + QUICK_SCALE + " with --quick)")
    double epochsScale;

    /** Refuses a part that does not exist: the run would otherwise skip it without a word. */
    void validate() {
        for (String part : only) {
            OneOf.problem("--only", PARTS, part).ifPresent(problem -> {
                throw new ParameterException(command.commandLine(), problem);
            });
        }
    }

    double scale() {
        return quick ? QUICK_SCALE : epochsScale;
    }
}
