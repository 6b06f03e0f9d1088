package dev.topiary.nn.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tracks the best validation loss, keeps a copy of the weights that reached it, and says when
 * {@code patience} epochs have passed without a better one. The copy is one flat parameter array
 * (about 1 MB for the 266k-weight MLP), taken only when the loss improves.
 *
 * <p>With patience 0 it still records the best loss and epoch (for the result) but never stops
 * and never restores: the caller asked for no early stopping, so it gets the last weights.
 */
final class EarlyStopping {
    private final int patience;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private INDArray bestParams;

    EarlyStopping(int patience) {
        this.patience = patience;
    }

    /** Records an epoch's validation loss; true when training should stop now. */
    boolean record(int epoch, double validationLoss, INDArray params) {
        if (validationLoss < bestLoss) {
            bestLoss = validationLoss;
            bestEpoch = epoch;
            if (patience > 0) {
                bestParams = bestParams == null ? params.dup() : bestParams.assign(params);
            }
            return false;
        }
        return patience > 0 && epoch - bestEpoch >= patience;
    }

    /** Puts the best weights back into {@code params} (in place) when early stopping is on and they differ. */
    boolean restoreBest(INDArray params, int lastEpoch) {
        if (patience == 0 || bestParams == null || bestEpoch == lastEpoch) {
            return false;
        }
        params.assign(bestParams);
        return true;
    }

    Double bestLoss() {
        return bestEpoch == 0 ? null : bestLoss;
    }

    int bestEpoch() {
        return bestEpoch;
    }
}
