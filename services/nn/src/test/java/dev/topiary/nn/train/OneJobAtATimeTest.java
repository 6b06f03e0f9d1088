package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.threads.NativeThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * Two trainings started at once in one process (as two stages of {@code topiary up} would) take
 * turns under the model-work lease: their steps never interleave, each runs under its own thread
 * setting from its first step to its last, and the process has its own settings back afterwards.
 * Without the lease the second fit would capture the first one's setting as "previous" and put it
 * back at its end, leaving the process on one BLAS thread.
 */
class OneJobAtATimeTest {
    private final Dataset data = TrainingFixtures.data().limit(640, 200);

    /** When a fit's steps ran, and the BLAS thread counts its steps saw. */
    record Steps(long first, long last, List<Integer> blasSeen) {}

    @Test
    void overlappingFitsTakeTurnsAndPutTheThreadSettingsBack() throws Exception {
        String before = System.getProperty(TrainingThreads.PROPERTY);
        System.setProperty(TrainingThreads.PROPERTY, "1"); // each fit runs BLAS on one thread
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (NativeThreads baseline = NativeThreads.limit(2, NativeThreads.poolThreads())) {
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentHashMap<String, Steps> steps = new ConcurrentHashMap<>();
            List<Future<?>> fits = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                fits.add(pool.submit(() -> {
                    go.await();
                    MultiLayerNetwork net = TrainingFixtures.mlp(name.equals("a") ? 1 : 2);
                    List<Integer> blas = new ArrayList<>();
                    long[] span = {Long.MAX_VALUE, 0};
                    StepHook record = model -> {
                        long now = System.nanoTime();
                        span[0] = Math.min(span[0], now);
                        span[1] = now;
                        blas.add(NativeThreads.blasThreads());
                    };
                    new Trainer(TrainingFixtures.quick(), false).fit(net, data, null, record);
                    steps.put(name, new Steps(span[0], span[1], blas));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fits) {
                f.get(120, TimeUnit.SECONDS);
            }

            Steps a = steps.get("a");
            Steps b = steps.get("b");
            assertTrue(a.last() < b.first() || b.last() < a.first(), "the two fits' steps interleaved");
            assertTrue(a.blasSeen().stream().allMatch(n -> n == 1), "fit a saw " + a.blasSeen());
            assertTrue(b.blasSeen().stream().allMatch(n -> n == 1), "fit b saw " + b.blasSeen());
            assertEquals(2, NativeThreads.blasThreads(), "the process's setting is back after both");
        } finally {
            pool.shutdownNow();
            if (before == null) {
                System.clearProperty(TrainingThreads.PROPERTY);
            } else {
                System.setProperty(TrainingThreads.PROPERTY, before);
            }
        }
    }
}
