package dev.topiary.trainer;

import dev.topiary.nn.train.TrainingListener;
import dev.topiary.runtime.stage.StageInput;

/** Forwards training heartbeats to the stage's progress topic and the runner's cancellation to the training loop. */
final class ProgressListener implements TrainingListener {
    private final StageInput input;

    ProgressListener(StageInput input) {
        this.input = input;
    }

    @Override
    public void onBatch(int epoch, int epochs, int batch, int batches, double loss, double etaSeconds) {
        input.progress().report(epoch, epochs, batch, batches, loss, etaSeconds, null);
    }

    @Override
    public boolean cancelled() {
        return input.cancellation().isCancelled();
    }
}
