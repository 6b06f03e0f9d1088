package dev.topiary.grower.bench;

import dev.topiary.grower.wider.Widening;
import dev.topiary.nn.bench.OneOf;
import dev.topiary.nn.train.Augmentation;
import dev.topiary.nn.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench grow}'s options: mixed into the command that runs {@link GrowBenchmark}, so each
 * option's name, default and meaning are written here once.
 */
public final class GrowBenchOptions {
    private static final List<String> PARTS = List.of("exact", "compute", "growth", "spread", "blocks");

    /** The command these options are mixed into: a refused value ends it with exit code 2 and its usage. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", paramLabel = "FILE", description = "write the rows as JSON to this file")
    Path json;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "10",
            description = "epochs of the scratch run E and of the block-expansion parent (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--only", paramLabel = "PART",
            description = "exact, compute, growth (the growth path alone), spread (scratch under several seeds) or blocks: run one part")
    String only;

    @Option(names = "--small-epochs", paramLabel = "K",
            description = "growth path: epochs k of 784-512-512-10 before growing (default E/2); repeat for several paths")
    List<Integer> smallEpochs = new ArrayList<>();

    @Option(names = "--quarter-epochs", paramLabel = "Q", defaultValue = "0",
            description = "growth path: start at a quarter of the target (784-256-256-10, or resmlp 2 x 256) for Q epochs,"
                    + " grown to half before its k epochs; adds a quarter-size control (default ${DEFAULT-VALUE}: start at half)")
    int quarterEpochs;

    @Option(names = "--grown-epochs", paramLabel = "M",
            description = "growth path: at most m epochs after growing (default: the most within half of scratch's FLOPs)")
    Integer grownEpochs;

    @Option(names = "--init", paramLabel = "copy|fresh", defaultValue = "copy",
            description = "growth path: the widening's new units, copies (Net2WiderNet, the default) or fresh"
                    + " (incoming weights drawn anew, outgoing weights 0)")
    String init;

    @Option(names = "--noise", paramLabel = "X", defaultValue = "0.01",
            description = "growth path: the copies' symmetry-breaking noise, none for fresh units (default ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--schedule", paramLabel = "continue|restart", defaultValue = "continue",
            description = "growth path: continue (one cosine over k + m epochs, the default) or restart (a cosine per part)")
    String schedule;

    /** 0: no stop. */
    @Option(names = "--target-holdout", paramLabel = "A",
            description = "with --only growth: stop once the grown network reaches this holdout accuracy")
    double targetHoldout;

    @Option(names = "--target-checks", paramLabel = "C", defaultValue = "4",
            description = "growth path and control: how often an epoch checks the holdout for the stop (default ${DEFAULT-VALUE})")
    int targetChecks;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "with --only spread: scratch under this many seeds (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--repetition", paramLabel = "R", defaultValue = "0",
            description = "compute, growth, blocks: the R-th repetition of the comparison, the networks' initialisation"
                    + " and the fits' shuffle seeds shifted by R (default ${DEFAULT-VALUE})")
    int repetition;

    @Option(names = "--family", paramLabel = "mlp|resmlp", defaultValue = "mlp",
            description = "compute, growth and spread: mlp (784-512-512-10 widened into 784-1024-1024-10, the default)"
                    + " or resmlp (4 blocks x 256 into 8 by zero-started blocks)")
    String family;

    /** 0: all of them. */
    @Option(names = "--train", paramLabel = "ROWS", description = "use only the first ROWS training rows (the holdout is their last tenth)")
    int trainRows;

    @Option(names = "--blocks-learning-rate", paramLabel = "LR",
            description = "block expansion: the peak rate of its 2 epochs and of its control's (default ${DEFAULT-VALUE}, the trainer's)")
    double blocksLearningRate = TrainingConfig.defaults().learningRate();

    @Option(names = "--blocks-others-rate", paramLabel = "S", defaultValue = "0",
            description = "block expansion: the parent's layers train at this share of the rate beside the new blocks"
                    + " (default ${DEFAULT-VALUE}: frozen)")
    double blocksOthersRate;

    @Option(names = "--augment", paramLabel = "WHAT", defaultValue = "none",
            description = "compute, growth, spread, blocks: change the training images of every fit compared"
                    + " (not of block expansion's parent): none (the default), flip, shift:N or flip,shift:N"
                    + " (the trainer's augment)")
    String augment;

    @Option(names = "--parents", paramLabel = "DIR", description = "keep trained parents in this folder and load them on later runs")
    Path parents;

    /** Refuses what the run would only trip over hours later, when it first uses the value. */
    void validate() {
        requireOneOf("--schedule", List.of("continue", "restart"), schedule);
        requireOneOf("--init", List.of("copy", "fresh"), init);
        requireOneOf("--family", List.of("mlp", "resmlp"), family);
        if (init.equals("fresh") && command.commandLine().getParseResult().hasMatchedOption("--noise")) {
            throw refused("--noise applies to --init copy only (fresh units have weights of their own: no symmetry to break)");
        }
        if (repetition < 0) {
            throw refused("--repetition must be 0 or more, got " + repetition);
        }
        if (quarterEpochs < 0) {
            throw refused("--quarter-epochs must be 0 or more, got " + quarterEpochs);
        }
        if (targetChecks < 1) {
            throw refused("--target-checks must be at least 1, got " + targetChecks);
        }
        if (!(blocksOthersRate >= 0 && blocksOthersRate < 1)) {
            throw refused("--blocks-others-rate must be in [0, 1), got " + blocksOthersRate);
        }
        try {
            augmentation();
        } catch (IllegalArgumentException e) {
            throw refused("--augment: " + e.getMessage());
        }
        if (only != null) {
            requireOneOf("--only", PARTS, only);
        }
    }

    private void requireOneOf(String option, List<String> allowed, String value) {
        OneOf.problem(option, allowed, value).ifPresent(problem -> {
            throw refused(problem);
        });
    }

    boolean continueSchedule() {
        return schedule.equals("continue");
    }

    Widening.Init widening() {
        return init.equals("fresh") ? Widening.Init.FRESH : Widening.Init.COPY;
    }

    Augmentation augmentation() {
        return Augmentation.parse(augment);
    }

    GrowthFamily growthFamily() {
        return family.equals("resmlp") ? GrowthFamily.RESMLP : GrowthFamily.MLP;
    }

    private ParameterException refused(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
