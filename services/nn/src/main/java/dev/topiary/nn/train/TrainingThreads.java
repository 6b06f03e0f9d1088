package dev.topiary.nn.train;

import dev.topiary.nn.threads.NativeThreads;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many threads ND4J's native code may use while a network trains, set for the duration of a
 * fit and put back after.
 *
 * <p>ND4J's OpenBLAS runs on OpenMP, whose worker threads by default spin for a while after every
 * parallel region instead of sleeping, and libnd4j runs element-wise ops on its own thread pool.
 * DL4J's {@code fit} alternates small GEMMs with dozens of such ops, so a spinning OpenMP worker
 * holds the core the pool's worker needs, and every op waits for a scheduler time slice. The
 * dense engine does nothing native between its GEMMs, and there the spinning worker is an asset:
 * it is already running when the next product starts. Measured on the 2-core machine this was
 * written on, 784-300-100-10 MLP at batch 128, per step:
 * <ul>
 *   <li>DL4J's fit: 24.7 ms with 2 spinning BLAS threads, 8.5 ms with 1, 8.1 ms with 2 sleeping
 *       ones ({@code OMP_WAIT_POLICY=PASSIVE}); under load from other processes 145 ms with
 *       libnd4j's 2 pool threads and 58 ms with 1;</li>
 *   <li>dense engine: 1.55 ms with 2 spinning BLAS threads, 2.14 ms with 1.</li>
 * </ul>
 * {@code OMP_WAIT_POLICY} is read once when the native library loads, so it can only come from
 * the environment that starts the JVM. Hence:
 * <ul>
 *   <li>{@code -Dtopiary.train.blasThreads=N} wins when set (N BLAS threads, pool untouched);</li>
 *   <li>else the dense engine, and any engine under {@code OMP_WAIT_POLICY=PASSIVE} (or
 *       {@code GOMP_SPINCOUNT=0}), keep what ND4J configured (all cores);</li>
 *   <li>else DL4J's fit runs BLAS and libnd4j's pool on 1 thread each.</li>
 * </ul>
 * The settings are process-wide, so a fit changes them for everything else in the process while
 * it runs. Results are bit-reproducible for a given thread count, not across thread counts (GEMM
 * splits its sums differently).
 */
final class TrainingThreads {
    static final String PROPERTY = "topiary.train.blasThreads";
    private static final Logger log = LoggerFactory.getLogger(TrainingThreads.class);

    private TrainingThreads() {}

    /**
     * The limit to train under, in force until closed.
     *
     * @param gemmsOnly true for an engine that runs no native ops but GEMMs (the dense engine)
     */
    static NativeThreads forTraining(boolean gemmsOnly) {
        int blas = blasThreads(NativeThreads.blasThreads(), gemmsOnly);
        int pool = System.getProperty(PROPERTY) != null || gemmsOnly || workersSleep() ? NativeThreads.poolThreads() : 1;
        return NativeThreads.limit(blas, pool);
    }

    /** The BLAS thread count training uses when ND4J is configured with {@code current} threads. */
    static int blasThreads(int current, boolean gemmsOnly) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(property.trim()));
            } catch (NumberFormatException e) {
                log.warn("Ignoring -D{}={}: not a number", PROPERTY, property);
            }
        }
        return gemmsOnly || workersSleep() ? current : 1;
    }

    static boolean workersSleep() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        String spin = System.getenv("GOMP_SPINCOUNT");
        return (policy != null && policy.trim().toLowerCase(Locale.ROOT).equals("passive"))
                || (spin != null && spin.trim().equals("0"));
    }
}
