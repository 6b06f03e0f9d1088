package dev.topiary.nn.train;

import java.util.Locale;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many threads ND4J's native code may use while a network trains, set for the duration of a
 * fit and put back after.
 *
 * <p>ND4J's OpenBLAS runs on OpenMP, whose worker threads by default spin for a while after every
 * parallel region instead of sleeping, and libnd4j's own thread pool hands each element-wise op to
 * its workers. A training step is dozens of small GEMMs and ops, so on a small machine a spinning
 * worker holds a core that the next operation's worker, the JVM or another process needs, and
 * the next parallel region waits for it for a scheduler time slice. Measured on the 2-core
 * machine this was written on, 784-300-100-10 MLP at batch 128, per step:
 * <ul>
 *   <li>dense engine: 14.7 ms with 2 spinning BLAS threads, 3.1 ms with 1, 2.1 ms with 2 threads
 *       when {@code OMP_WAIT_POLICY=PASSIVE} makes the workers sleep;</li>
 *   <li>DL4J's fit, under load from other processes: 145 ms with libnd4j's 2 pool threads, 58 ms
 *       with 1.</li>
 * </ul>
 * {@code OMP_WAIT_POLICY} is read once when the native library loads, so it can only come from
 * the environment that starts the JVM. Hence:
 * <ul>
 *   <li>{@code -Dtopiary.train.blasThreads=N} wins when set (N BLAS threads, pool untouched);</li>
 *   <li>else with {@code OMP_WAIT_POLICY=PASSIVE} (or {@code GOMP_SPINCOUNT=0}) everything stays as
 *       ND4J configured it (all cores);</li>
 *   <li>else training runs BLAS and libnd4j's pool on 1 thread each.</li>
 * </ul>
 * The settings are process-wide, so concurrent fits in one process all choose the same values.
 * Results are bit-reproducible for a given thread count, not across thread counts (GEMM splits
 * its sums differently).
 */
final class TrainingThreads implements AutoCloseable {
    static final String PROPERTY = "topiary.train.blasThreads";
    private static final Logger log = LoggerFactory.getLogger(TrainingThreads.class);

    private final int previousBlas;
    private final int previousPool;
    private final int blas;
    private final int pool;

    private TrainingThreads(int previousBlas, int previousPool, int blas, int pool) {
        this.previousBlas = previousBlas;
        this.previousPool = previousPool;
        this.blas = blas;
        this.pool = pool;
    }

    static TrainingThreads forTraining() {
        Environment env = Nd4j.getEnvironment();
        int previousBlas = Nd4j.factory().blas().getMaxThreads();
        int previousPool = env.maxMasterThreads();
        int blas = blasThreads(previousBlas);
        int pool = System.getProperty(PROPERTY) != null || workersSleep() ? previousPool : 1;
        if (blas != previousBlas) {
            Nd4j.factory().blas().setMaxThreads(blas);
        }
        if (pool != previousPool) {
            env.setMaxMasterThreads(pool);
        }
        return new TrainingThreads(previousBlas, previousPool, blas, pool);
    }

    /** The BLAS thread count training uses when ND4J is configured with {@code current} threads. */
    static int blasThreads(int current) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(property.trim()));
            } catch (NumberFormatException e) {
                log.warn("Ignoring -D{}={}: not a number", PROPERTY, property);
            }
        }
        return workersSleep() ? current : 1;
    }

    static boolean workersSleep() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        String spin = System.getenv("GOMP_SPINCOUNT");
        return (policy != null && policy.trim().toLowerCase(Locale.ROOT).equals("passive"))
                || (spin != null && spin.trim().equals("0"));
    }

    int blas() {
        return blas;
    }

    @Override
    public void close() {
        if (blas != previousBlas) {
            Nd4j.factory().blas().setMaxThreads(previousBlas);
        }
        if (pool != previousPool) {
            Nd4j.getEnvironment().setMaxMasterThreads(previousPool);
        }
    }
}
