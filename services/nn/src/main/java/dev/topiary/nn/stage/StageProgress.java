package dev.topiary.nn.stage;

import dev.topiary.nn.train.TrainingListener;
import dev.topiary.runtime.stage.StageInput;

/**
 * Connects a training loop to its stage: heartbeats go to the progress topic, and the runner's
 * cancellation (the input's partition was revoked) stops the loop between batches.
 */
public final class StageProgress implements TrainingListener {
    private final StageInput input;
    private final String message;

    /** @param message shown beside the bar, e.g. "fine-tuning"; may be null */
    public StageProgress(StageInput input, String message) {
        this.input = input;
        this.message = message;
    }

    @Override
    public void onBatch(int epoch, int epochs, int batch, int batches, double loss, double etaSeconds) {
        input.progress().report(epoch, epochs, batch, batches, loss, etaSeconds, message);
    }

    @Override
    public boolean cancelled() {
        return input.cancellation().isCancelled();
    }
}
