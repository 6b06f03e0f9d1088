package dev.topiary.nn.train;

/**
 * Which part of a longer planned run one {@link Trainer#fit} is, so the learning-rate schedule can
 * span several fits: a growth path trains a small network for some epochs, grows it and trains
 * the grown one on, and with one cosine over the whole path the grown network continues at the
 * decayed rate where the small one stopped, instead of restarting at the peak.
 *
 * @param epochsBefore epochs of the planned run that earlier fits trained
 * @param epochsTotal epochs of the whole planned run; 0 means the fit is the whole run
 *        ({@link #WHOLE})
 */
public record SchedulePart(int epochsBefore, int epochsTotal) {
    /** The fit is the whole planned run: its schedule goes from the peak rate to its end. */
    public static final SchedulePart WHOLE = new SchedulePart(0, 0);

    public SchedulePart {
        if (epochsBefore < 0 || epochsTotal < 0 || (epochsTotal == 0 && epochsBefore > 0)) {
            throw new IllegalArgumentException("schedulePart needs 0 <= epochsBefore and a planned run of epochsTotal > 0, got "
                    + epochsBefore + " of " + epochsTotal);
        }
    }

    public boolean isWhole() {
        return epochsTotal == 0;
    }
}
