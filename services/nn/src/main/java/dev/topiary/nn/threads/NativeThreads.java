package dev.topiary.nn.threads;

import org.nd4j.linalg.factory.Nd4j;

/**
 * A temporary limit on ND4J's native threads: OpenBLAS's worker count and libnd4j's pool of
 * master threads, set on {@link #limit} and put back on {@link #close}.
 *
 * <pre>{@code
 * try (NativeThreads one = NativeThreads.limit(1, 1)) {
 *     // GEMMs and element-wise ops run on the calling thread only
 * }
 * }</pre>
 *
 * The settings are process-wide: whatever else runs native code in the process meanwhile gets the
 * same limit, which is why model work holds {@link ModelWork} while it changes them.
 */
public final class NativeThreads implements AutoCloseable {
    private final int previousBlas;
    private final int previousPool;
    private final int blas;
    private final int pool;

    private NativeThreads(int previousBlas, int previousPool, int blas, int pool) {
        this.previousBlas = previousBlas;
        this.previousPool = previousPool;
        this.blas = blas;
        this.pool = pool;
    }

    /** Limits BLAS to {@code blas} threads and libnd4j's pool to {@code pool} until closed. */
    public static NativeThreads limit(int blas, int pool) {
        int previousBlas = blasThreads();
        int previousPool = poolThreads();
        if (blas != previousBlas) {
            Nd4j.factory().blas().setMaxThreads(blas);
        }
        if (pool != previousPool) {
            Nd4j.getEnvironment().setMaxMasterThreads(pool);
        }
        return new NativeThreads(previousBlas, previousPool, blas, pool);
    }

    /** The settings in force now, put back on {@link #close} whatever happened to them meanwhile. */
    public static NativeThreads snapshot() {
        int blas = blasThreads();
        int pool = poolThreads();
        return new NativeThreads(blas, pool, blas, pool);
    }

    /** The BLAS thread count in force now. */
    public static int blasThreads() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    /** The size of libnd4j's pool in force now. */
    public static int poolThreads() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }

    public int blas() {
        return blas;
    }

    /** Puts back the settings found when this was made, if they are not in force now. */
    @Override
    public void close() {
        if (blasThreads() != previousBlas) {
            Nd4j.factory().blas().setMaxThreads(previousBlas);
        }
        if (poolThreads() != previousPool) {
            Nd4j.getEnvironment().setMaxMasterThreads(previousPool);
        }
    }
}
