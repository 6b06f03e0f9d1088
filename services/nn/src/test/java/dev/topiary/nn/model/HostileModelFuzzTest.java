package dev.topiary.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Over a thousand damaged model zips, made from real networks, through {@link SafeModelLoader}: every
 * one is refused with a {@link ModelLoadException} (or its {@link UnsafeModelException}) that says
 * why, or it loads into a network that runs; none hangs past a bound, none throws anything else (an
 * OutOfMemoryError, a NullPointerException from DL4J, a native crash would end the JVM and this
 * test). NaN and infinite weights are refused with the layer's name. Prints how many of each kind
 * were tried and how each ended.
 */
class HostileModelFuzzTest {
    static final long SEED = 16;
    private static final long BOUND_SECONDS = 30;
    /** Weighted towards the kinds that cost nothing to refuse; 1,000 in all. */
    private static final Map<HostileModels.Kind, Integer> TRIES = new EnumMap<>(Map.ofEntries(
            Map.entry(HostileModels.Kind.TRUNCATED, 150), Map.entry(HostileModels.Kind.BIT_FLIP_ZIP, 150),
            Map.entry(HostileModels.Kind.BIT_FLIP_ENTRY, 80), Map.entry(HostileModels.Kind.RENAMED_ENTRY, 80),
            Map.entry(HostileModels.Kind.DUPLICATED_ENTRY, 60), Map.entry(HostileModels.Kind.OVERSIZED_ENTRY, 40),
            Map.entry(HostileModels.Kind.ZIP_BOMB, 40), Map.entry(HostileModels.Kind.NAN_WEIGHT, 50),
            Map.entry(HostileModels.Kind.INF_WEIGHT, 50), Map.entry(HostileModels.Kind.WRONG_SHAPE, 100),
            Map.entry(HostileModels.Kind.UNKNOWN_CLASS, 100), Map.entry(HostileModels.Kind.ABSURD_SIZE, 100)));

    /** The networks the mutants are made from: an MLP, a CNN with batch normalisation, a residual graph. */
    static HostileModels hostileModels(long seed) {
        return new HostileModels(List.of(ModelFactory.mlp(784, 16, 10), ModelFactory.cnn(3, true),
                ModelFactory.resmlp(784, 8, 1, 10, 3)), seed);
    }

    @Test
    void everyDamagedModelIsRefusedWithAReasonOrLoadsIntoAWorkingNetwork() throws Exception {
        HostileModels hostile = hostileModels(SEED);
        for (byte[] original : hostile.originals()) {
            runs(SafeModelLoader.load(original));
        }
        Map<HostileModels.Kind, int[]> outcomes = new EnumMap<>(HostileModels.Kind.class); // refused, loaded, ms
        List<String> failures = new ArrayList<>();
        // two loads at a time, as the two cores of a CI machine allow; each still has its own time bound
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fuzz-load");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        int tried = 0;
        try {
            for (Map.Entry<HostileModels.Kind, Integer> kind : TRIES.entrySet()) {
                int[] counts = outcomes.computeIfAbsent(kind.getKey(), k -> new int[3]);
                long kindStart = System.nanoTime();
                List<HostileModels.Mutant> mutants = new ArrayList<>();
                List<Future<LoadedModel>> loads = new ArrayList<>();
                for (int i = 0; i < kind.getValue(); i++) {
                    HostileModels.Mutant m = hostile.next(kind.getKey());
                    mutants.add(m);
                    loads.add(workers.submit(() -> SafeModelLoader.load(m.zip())));
                }
                for (int i = 0; i < mutants.size(); i++) {
                    tried++;
                    String failure = outcome(loads.get(i), mutants.get(i), counts);
                    if (failure != null) {
                        failures.add(kind.getKey() + " #" + i + " (" + mutants.get(i).description() + "): " + failure);
                    }
                }
                counts[2] = (int) ((System.nanoTime() - kindStart) / 1_000_000);
            }
        } finally {
            workers.shutdownNow();
        }
        StringBuilder table = new StringBuilder(String.format("%-17s %6s %8s %7s %8s%n", "kind", "tried", "refused", "loaded", "ms"));
        outcomes.forEach((k, c) -> table.append(String.format("%-17s %6d %8d %7d %8d%n", k, c[0] + c[1], c[0], c[1], c[2])));
        System.out.printf("[HostileModelFuzzTest] %d damaged model zips (seed %d) in %.1f s%n%s", tried, SEED,
                (System.nanoTime() - t0) / 1e9, table);
        assertTrue(failures.isEmpty(), failures.size() + " mishandled:\n" + String.join("\n", failures));
        assertTrue(tried >= 1000, "tried " + tried);
        assertEquals(0, outcomes.get(HostileModels.Kind.NAN_WEIGHT)[1], "a NaN weight loaded");
        assertEquals(0, outcomes.get(HostileModels.Kind.INF_WEIGHT)[1], "an infinite weight loaded");
    }

    /** Null when the mutant was handled: refused with a reason (naming the layer for non-finite weights) or loaded and running. */
    private static String outcome(Future<LoadedModel> f, HostileModels.Mutant m, int[] counts) throws InterruptedException {
        try {
            LoadedModel loaded = f.get(BOUND_SECONDS, TimeUnit.SECONDS);
            runs(loaded);
            counts[1]++;
            return m.layer() != null ? "non-finite weights loaded" : null;
        } catch (TimeoutException e) {
            f.cancel(true);
            return "hung: no answer within " + BOUND_SECONDS + " s";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof ModelLoadException) || cause.getMessage() == null || cause.getMessage().isBlank()) {
                return "threw " + cause;
            }
            if (m.layer() != null && !cause.getMessage().contains("'" + m.layer() + "'")) {
                return "refused without naming layer " + m.layer() + ": " + cause.getMessage();
            }
            counts[0]++;
            return null;
        } catch (RuntimeException e) {
            return "loaded, but does not run: " + e;
        }
    }

    /** A loaded network must answer one input row with one row of class scores. */
    private static void runs(LoadedModel loaded) {
        INDArray row = Nd4j.zeros(1, 784);
        INDArray out = loaded.model() instanceof MultiLayerNetwork net ? net.output(row)
                : ((ComputationGraph) loaded.model()).outputSingle(row);
        assertEquals(1, out.rows());
    }
}
