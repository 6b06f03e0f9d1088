package dev.topiary.nn.threads;

import dev.topiary.runtime.stage.ModelWorkLease;
import java.util.function.BooleanSupplier;

/**
 * The process's model-work lease ({@link ModelWorkLease}: one heavy job at a time) together with
 * the native thread settings as they were when it was taken, put back when it is released. Training
 * and latency measurement change those settings for the whole process; whatever a job does to them,
 * the next job starts from the settings the process had.
 *
 * <pre>{@code
 * try (ModelWork work = ModelWork.begin("training", listener::cancelled)) {
 *     // BLAS and libnd4j's pool may be changed here; they are restored on close
 * }
 * }</pre>
 */
public final class ModelWork implements AutoCloseable {
    private final ModelWorkLease.Held lease;
    private final NativeThreads saved;

    private ModelWork(ModelWorkLease.Held lease, NativeThreads saved) {
        this.lease = lease;
        this.saved = saved;
    }

    /** Waits for the lease (stopping when {@code cancelled} turns true) and notes the thread settings. */
    public static ModelWork begin(String what, BooleanSupplier cancelled) {
        ModelWorkLease.Held lease = ModelWorkLease.acquire(what, cancelled);
        try {
            return new ModelWork(lease, NativeThreads.snapshot());
        } catch (RuntimeException | Error e) {
            lease.close();
            throw e;
        }
    }

    public static ModelWork begin(String what) {
        return begin(what, () -> false);
    }

    /** Puts the thread settings back, then releases the lease. */
    @Override
    public void close() {
        try {
            saved.close();
        } finally {
            lease.close();
        }
    }
}
