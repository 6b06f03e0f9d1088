package dev.topiary.nn.train;

import java.util.function.LongSupplier;

/**
 * Turns per-step events into listener calls at most once per {@link #INTERVAL_NANOS}, with an ETA
 * from the mean step time so far: frequent enough for a progress bar, rare enough that publishing
 * each call to Kafka costs nothing measurable.
 */
final class ProgressMeter {
    static final long INTERVAL_NANOS = 1_000_000_000L;

    private final TrainingListener listener;
    private final int epochs;
    private final int batchesPerEpoch;
    private final LongSupplier clock;
    private long lastReportNanos;
    private long stepsDone;
    private long stepNanos;

    ProgressMeter(TrainingListener listener, int epochs, int batchesPerEpoch) {
        this(listener, epochs, batchesPerEpoch, System::nanoTime);
    }

    ProgressMeter(TrainingListener listener, int epochs, int batchesPerEpoch, LongSupplier clock) {
        this.listener = listener;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.clock = clock;
        this.lastReportNanos = clock.getAsLong();
    }

    /** Counts one finished step that took {@code nanos}; reports if the interval has passed. */
    void stepDone(int epoch, int batch, long nanos, double epochMeanLoss) {
        stepsDone++;
        stepNanos += nanos;
        long now = clock.getAsLong();
        if (now - lastReportNanos >= INTERVAL_NANOS) {
            lastReportNanos = now;
            long remaining = (long) epochs * batchesPerEpoch - stepsDone;
            double eta = remaining * (stepNanos / 1e9) / stepsDone;
            listener.onBatch(epoch, epochs, batch, batchesPerEpoch, epochMeanLoss, eta);
        }
    }
}
