package dev.topiary.runtime.stage;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set by the runner when a job's input partition is revoked; long work polls it between steps. */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Throws if cancelled, so long loops can stop with one line. */
    public void check() {
        if (isCancelled()) {
            throw new JobCancelledException();
        }
    }

    public static final class JobCancelledException extends RuntimeException {
        public JobCancelledException() {
            super("job cancelled: its input partition was revoked");
        }
    }
}
