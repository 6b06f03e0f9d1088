package dev.topiary.cli;

import dev.topiary.cutter.bench.CutBenchmark;
import dev.topiary.grower.bench.GrowBenchmark;
import dev.topiary.merger.bench.MergeBenchmark;
import dev.topiary.nn.train.TrainBenchmark;
import dev.topiary.pruner.bench.PruneBenchmark;
import dev.topiary.registry.bench.RegistryBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks: tables on the terminal, JSON for the record. Speed targets live here, not in timed tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark; prints a table and writes JSON.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Prune.class, BenchCommand.Cut.class, BenchCommand.Merge.class,
                BenchCommand.Grow.class, BenchCommand.Busy.class, BenchCommand.PipelineChassis.class, BenchCommand.Registry.class,
                BenchCommand.ArtifactsBench.class})
final class BenchCommand {

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "784-300-100-10 MLP on the full Fashion-MNIST, batch 128: epoch time, samples/s, accuracy, efficiency vs ND4J GEMM.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--json", description = "write the result as JSON to this file")
        Path json;

        @Option(names = "--epochs", defaultValue = "10", description = "epochs to train (default ${DEFAULT-VALUE})")
        int epochs;

        @Override
        public Integer call() throws Exception {
            var result = TrainBenchmark.run(epochs, System.out);
            if (json != null) {
                Files.writeString(json, result.toJson() + "\n");
                System.out.println("wrote " + json);
            }
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Unstructured 90/95/98%, structured MLP and LeNet-5-like CNN on Fashion-MNIST against a baseline trained in the same run.")
    static final class Prune implements Callable<Integer> {
        @Option(names = "--json", description = "write the records as JSON to this file")
        Path json;

        @Option(names = "--quick", description = "a few epochs on a subset: checks the benchmark runs, measures nothing worth quoting")
        boolean quick;

        @Override
        public Integer call() throws Exception {
            return PruneBenchmark.run(new BenchArgs().option("--json", json).flag("--quick", quick).toArray(), System.out);
        }
    }

    @Command(name = "cut", mixinStandardHelpOptions = true,
            description = "resmlp (8 blocks) cut by each criterion with leave-one-out Spearman, bridge and controls; "
                    + "a plain MLP and rescnn on Fashion-MNIST, against baselines trained in the same run.")
    static final class Cut implements Callable<Integer> {
        @Option(names = "--json", description = "write the rows and the Spearman rho as JSON to this file")
        Path json;

        @Option(names = "--quick", description = "a few epochs on a subset: checks the benchmark runs, measures nothing worth quoting")
        boolean quick;

        @Option(names = "--train", description = "training rows to use (default: all)")
        Integer train;

        @Option(names = "--epochs", description = "baseline epochs (default 10; rescnn at most 6)")
        Integer epochs;

        @Option(names = "--only", description = "one part: resmlp, bridge (the resmlp baseline and its bridge rows), mlp or cnn")
        String only;

        @Option(names = "--filters", description = "rescnn's width (default 16; 8 with --quick)")
        Integer filters;

        @Option(names = "--baselines", paramLabel = "DIR",
                description = "save trained baselines here and reuse them in later runs (named by model, epochs and data)")
        Path baselines;

        @Override
        public Integer call() throws Exception {
            return CutBenchmark.run(new BenchArgs().option("--json", json).flag("--quick", quick).option("--train", train)
                    .option("--epochs", epochs).option("--only", only).option("--filters", filters)
                    .option("--baselines", baselines).toArray(), System.out);
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Fusions, soups, different initialisations (align, REPAIR), task merges, neuron merging and layer collapse on Fashion-MNIST, in one run.")
    static final class Merge implements Callable<Integer> {
        @Option(names = "--json", description = "write the rows as JSON to this file")
        Path json;

        @Option(names = "--quick", description = "a few epochs on a subset: checks the benchmark runs, measures nothing worth quoting")
        boolean quick;

        @Option(names = "--only", description = "one part: fusions, soups, inits, inits-cnn, tasks, neurons or layers (repeatable)")
        List<String> only = new ArrayList<>();

        @Option(names = "--epochs-scale", defaultValue = "1", description = "multiply every epoch count (default ${DEFAULT-VALUE})")
        double epochsScale;

        @Override
        public Integer call() throws Exception {
            return MergeBenchmark.run(new BenchArgs().option("--epochs-scale", epochsScale).option("--json", json)
                    .flag("--quick", quick).options("--only", only).toArray(), System.out);
        }
    }

    @Command(name = "busy", mixinStandardHelpOptions = true,
            description = "A stage's latencyMs measured inside a busy up (another stage training) beside the same model "
                    + "measured alone, with the model-work lease and without it.")
    static final class Busy implements Callable<Integer> {
        @Option(names = "--json", description = "write the rows as JSON to this file")
        Path json;

        @Option(names = "--epochs", defaultValue = "8", description = "epochs the heavy stage trains (default ${DEFAULT-VALUE})")
        int epochs;

        @Override
        public Integer call() throws Exception {
            List<BusyLatencyBenchmark.Row> rows = new BusyLatencyBenchmark(epochs, System.out).run();
            System.out.println();
            System.out.print(BusyLatencyBenchmark.table(rows));
            if (json != null) {
                Files.writeString(json, BusyLatencyBenchmark.json(rows));
                System.out.println("wrote " + json);
            }
            return 0;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = "The chassis' cost: inputs through matrix 4 -> gather 4 -> a stage on the embedded broker, each job "
                    + "spinning a CPU, against the same work in one loop; also a bare transaction commit.")
    static final class PipelineChassis implements Callable<Integer> {
        @Option(names = "--json", description = "write the result as JSON to this file")
        Path json;

        @Option(names = "--inputs", defaultValue = "200", description = "inputs to publish (default ${DEFAULT-VALUE})")
        int inputs;

        @Option(names = "--work-ms", defaultValue = "200", description = "CPU time each job spins (default ${DEFAULT-VALUE})")
        int workMs;

        @Override
        public Integer call() throws Exception {
            PipelineBenchmark.Result result = new PipelineBenchmark(inputs, workMs, System.out).run();
            System.out.println();
            System.out.print(PipelineBenchmark.table(result));
            if (json != null) {
                Files.writeString(json, PipelineBenchmark.json(result));
                System.out.println("wrote " + json);
            }
            return 0;
        }
    }

    @Command(name = "registry", mixinStandardHelpOptions = true,
            description = "10,000 versions in 100 lineages through an embedded broker: load time, API p50/p99, page time to data-ready in Chromium.")
    static final class Registry implements Callable<Integer> {
        @Option(names = "--json", description = "write the result as JSON to this file")
        Path json;

        @Option(names = "--lineages", defaultValue = "100", description = "lineages (default ${DEFAULT-VALUE})")
        int lineages;

        @Option(names = "--per-lineage", defaultValue = "100", description = "versions per lineage (default ${DEFAULT-VALUE})")
        int perLineage;

        @Option(names = "--page-versions", defaultValue = "1000", description = "versions of the lineage the page shows (default ${DEFAULT-VALUE})")
        int pageVersions;

        @Override
        public Integer call() throws Exception {
            return RegistryBenchmark.run(new BenchArgs().option("--lineages", lineages).option("--per-lineage", perLineage)
                    .option("--page-versions", pageVersions).option("--json", json).toArray(), System.out);
        }
    }

    @Command(name = "artifacts", mixinStandardHelpOptions = true,
            description = "A 56M-parameter (209 MB) model through publish, unstructured pruning and pull, on the kafka and"
                    + " the file store: wall time, MB/s and peak heap per step.")
    static final class ArtifactsBench implements Callable<Integer> {
        @Option(names = "--json", description = "write the steps as JSON to this file")
        Path json;

        @Option(names = "--layers", split = ",", description = "MLP widths (default 784,5120,5120,5120,10)")
        int[] layers = ArtifactBenchmark.DEFAULT_LAYERS;

        @Option(names = "--stores", split = ",", description = "stores to run (default kafka,file)")
        List<String> stores = List.of("kafka", "file");

        @Option(names = "--sparsity", defaultValue = "0.5", description = "fraction of weights pruned (default ${DEFAULT-VALUE})")
        double sparsity;

        @Override
        public Integer call() throws Exception {
            ArtifactBenchmark.run(layers, stores, sparsity, json, System.out);
            return 0;
        }
    }

    @Command(name = "grow", mixinStandardHelpOptions = true,
            description = "Exactness of wider x2, deeper and blocks (MLP, resmlp, LeNet, rescnn), compute saved growing 784-512-512-10 into 784-1024-1024-10 on Fashion-MNIST against scratch and a control, and resmlp block expansion.")
    static final class Grow implements Callable<Integer> {
        @Option(names = "--json", description = "write the rows as JSON to this file")
        Path json;

        @Option(names = "--epochs", defaultValue = "10", description = "epochs of the scratch run E and of the block-expansion parent (default ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--only", description = "exact, compute, growth (the growth path alone), spread (scratch under several seeds) or blocks: run one part")
        String only;

        @Option(names = "--small-epochs", description = "growth path: epochs k of 784-512-512-10 before growing (default E/2); repeat for several paths")
        List<Integer> smallEpochs = new ArrayList<>();

        @Option(names = "--grown-epochs", description = "growth path: at most m epochs after growing (default: the most within half of scratch's FLOPs)")
        Integer grownEpochs;

        @Option(names = "--noise", description = "growth path: the widening's symmetry-breaking noise (default 0.01)")
        Double noise;

        @Option(names = "--schedule", description = "growth path: continue (one cosine over k + m epochs, the default) or restart (a cosine per part)")
        String schedule;

        @Option(names = "--target-holdout", description = "with --only growth: stop once the grown network reaches this holdout accuracy")
        Double targetHoldout;

        @Option(names = "--target-checks", description = "growth path and control: how often an epoch checks the holdout for the stop (default 4)")
        Integer targetChecks;

        @Option(names = "--seeds", description = "with --only spread: scratch under this many seeds (default 3)")
        Integer seeds;

        @Option(names = "--repetition", description = "compute, growth: the R-th repetition of the comparison, every seed shifted by R (default 0)")
        Integer repetition;

        @Option(names = "--family", description = "compute, growth and spread: mlp (784-512-512-10 widened into 784-1024-1024-10, the default) or resmlp (4 blocks x 256 into 8 by zero-started blocks)")
        String family;

        @Option(names = "--train", description = "use only the first ROWS training rows (the holdout is their last tenth)")
        Integer train;

        @Option(names = "--blocks-learning-rate", description = "block expansion: the peak rate of its 2 epochs and of its control's (default 1e-3)")
        Double blocksLearningRate;

        @Option(names = "--blocks-others-rate", description = "block expansion: the parent's layers train at this share of the rate beside the new blocks (default 0: frozen)")
        Double blocksOthersRate;

        @Option(names = "--parents", description = "keep trained parents in this folder and load them on later runs")
        Path parents;

        @Override
        public Integer call() throws Exception {
            return GrowBenchmark.run(new BenchArgs().option("--epochs", epochs).option("--json", json).option("--only", only)
                    .options("--small-epochs", smallEpochs).option("--grown-epochs", grownEpochs).option("--noise", noise)
                    .option("--schedule", schedule).option("--target-holdout", targetHoldout).option("--target-checks", targetChecks)
                    .option("--seeds", seeds).option("--repetition", repetition).option("--family", family).option("--train", train)
                    .option("--blocks-learning-rate", blocksLearningRate).option("--blocks-others-rate", blocksOthersRate)
                    .option("--parents", parents)
                    .toArray(), System.out);
        }
    }
}
