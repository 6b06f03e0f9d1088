package dev.topiary.cli;

import dev.topiary.cutter.bench.CutBenchOptions;
import dev.topiary.cutter.bench.CutBenchmark;
import dev.topiary.grower.bench.GrowBenchOptions;
import dev.topiary.grower.bench.GrowBenchmark;
import dev.topiary.merger.bench.MergeBenchOptions;
import dev.topiary.merger.bench.MergeBenchmark;
import dev.topiary.nn.train.TrainBenchmark;
import dev.topiary.pruner.bench.PruneBenchOptions;
import dev.topiary.pruner.bench.PruneBenchmark;
import dev.topiary.registry.bench.RegistryBenchOptions;
import dev.topiary.registry.bench.RegistryBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Benchmarks: tables on the terminal, JSON for the record. Speed targets live here, not in timed tests.
 * A benchmark that lives in a service module declares its options there ({@code @Mixin}), next to the
 * code that reads them, and refuses bad values before it starts work.
 */
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
            description = "Unstructured 90/95/98%%, structured MLP and LeNet-5-like CNN on Fashion-MNIST against a baseline trained in the same run.")
    static final class Prune implements Callable<Integer> {
        @Mixin
        PruneBenchOptions options;

        @Override
        public Integer call() throws Exception {
            PruneBenchmark.run(options, System.out);
            return 0;
        }
    }

    @Command(name = "cut", mixinStandardHelpOptions = true,
            description = "resmlp (8 blocks) cut by each criterion with leave-one-out Spearman, bridge and controls; "
                    + "a plain MLP and rescnn on Fashion-MNIST, against baselines trained in the same run.")
    static final class Cut implements Callable<Integer> {
        @Mixin
        CutBenchOptions options;

        @Override
        public Integer call() throws Exception {
            CutBenchmark.run(options, System.out);
            return 0;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Fusions, soups, different initialisations (align, REPAIR), task merges, neuron merging and layer collapse on Fashion-MNIST, in one run.")
    static final class Merge implements Callable<Integer> {
        @Mixin
        MergeBenchOptions options;

        @Override
        public Integer call() throws Exception {
            MergeBenchmark.run(options, System.out);
            return 0;
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
            report(BusyLatencyBenchmark.table(rows), BusyLatencyBenchmark.json(rows), json);
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
            report(PipelineBenchmark.table(result), PipelineBenchmark.json(result), json);
            return 0;
        }
    }

    @Command(name = "registry", mixinStandardHelpOptions = true,
            description = "10,000 versions in 100 lineages through an embedded broker: load time, API p50/p99, page time to data-ready in Chromium.")
    static final class Registry implements Callable<Integer> {
        @Mixin
        RegistryBenchOptions options;

        @Override
        public Integer call() throws Exception {
            RegistryBenchmark.run(options, System.out);
            return 0;
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
        @Mixin
        GrowBenchOptions options;

        @Override
        public Integer call() throws Exception {
            GrowBenchmark.run(options, System.out);
            return 0;
        }
    }

    /** Prints a benchmark's table after its progress lines and, when asked, writes its JSON. */
    private static void report(String table, String jsonText, Path json) throws IOException {
        System.out.println();
        System.out.print(table);
        if (json != null) {
            Files.writeString(json, jsonText);
            System.out.println("wrote " + json);
        }
    }
}
