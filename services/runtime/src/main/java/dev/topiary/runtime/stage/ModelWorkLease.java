package dev.topiary.runtime.stage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One heavy job per process at a time. {@code topiary up} runs every stage in one JVM, and training
 * and latency measurement set native thread counts for the whole process and time themselves, so
 * two overlapping jobs would skew each other's {@code latencyMs} and one could leave the process on
 * one thread when it put back what it found. Every stage job holds this lease while its
 * transformation runs ({@code StageWork}); model code that can run outside a stage (training and
 * latency, in benchmarks and the CLI) takes it as well.
 *
 * <pre>{@code
 * try (ModelWorkLease.Held lease = ModelWorkLease.acquire("train v-0123", cancellation::isCancelled)) {
 *     // nothing else heavy runs in this process now
 * }
 * }</pre>
 *
 * Reentrant (a holder may take it again, as a stage's training does inside its job) and fair
 * (waiting jobs get it in the order they asked). A job whose partition is revoked while it waits
 * stops waiting. The poll threads of the stage runners never take it, so a waiting job costs no
 * rebalance.
 */
public final class ModelWorkLease {
    private static final Logger log = LoggerFactory.getLogger(ModelWorkLease.class);
    private static final ReentrantLock LOCK = new ReentrantLock(true);
    private static final long CHECK_MILLIS = 100;
    private static volatile boolean enabled = true;

    private ModelWorkLease() {}

    /** Released by {@link #close}; closing twice releases once. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for the lease.
     *
     * @param job what is waiting, for the log line when it has to wait
     * @param cancelled checked while waiting; when true the wait ends with {@link Cancellation.JobCancelledException}
     */
    public static Held acquire(String job, BooleanSupplier cancelled) {
        if (!enabled) {
            return () -> {};
        }
        long start = System.nanoTime();
        boolean logged = false;
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw new Cancellation.JobCancelledException();
            }
            try {
                if (LOCK.tryLock(CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (logged) {
                        log.info("{} got the model-work lease after {} ms", job, (System.nanoTime() - start) / 1_000_000);
                    }
                    AtomicBoolean open = new AtomicBoolean(true);
                    return () -> {
                        if (open.compareAndSet(true, false)) {
                            LOCK.unlock();
                        }
                    };
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancellation.JobCancelledException();
            }
            if (!logged) {
                log.info("{} waits for the model-work lease: another job of this process holds it", job);
                logged = true;
            }
        }
    }

    /** Waits for the lease, uncancellably. */
    public static Held acquire(String job) {
        return acquire(job, () -> false);
    }

    /** Whether the calling thread holds the lease. */
    public static boolean heldByCurrentThread() {
        return LOCK.isHeldByCurrentThread();
    }

    /**
     * Turns the lease off ({@code false}) or on for the whole process: only for the benchmark that
     * shows what overlapping jobs do to each other's measurements. Services never call this.
     */
    public static void setEnabled(boolean on) {
        enabled = on;
    }
}
