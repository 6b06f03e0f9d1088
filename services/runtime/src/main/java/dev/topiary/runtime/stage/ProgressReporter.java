package dev.topiary.runtime.stage;

/** Receives heartbeats of long work; the runner publishes them to the progress topic. */
@FunctionalInterface
public interface ProgressReporter {
    ProgressReporter NONE = (epoch, epochs, batch, batches, loss, etaSeconds, message) -> {};

    void report(int epoch, int epochs, int batch, int batches, Double loss, Double etaSeconds, String message);
}
