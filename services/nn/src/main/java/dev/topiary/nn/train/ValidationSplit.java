package dev.topiary.nn.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which training rows are held out for validation and which are trained on, drawn once from the
 * seed: the same seed always holds out the same rows, so early stopping decisions repeat.
 *
 * @param trainRows indices into the data set's training arrays, in ascending order
 * @param validationRows indices held out, in ascending order; empty without a split
 */
record ValidationSplit(int[] trainRows, int[] validationRows) {

    /** Seed offset so the split and the epoch shuffles draw from different streams. */
    private static final long SPLIT_STREAM = 0x5EED_5B117L;

    static ValidationSplit of(int rows, double fraction, long seed) {
        int held = fraction <= 0 ? 0 : (int) Math.max(1, Math.round(rows * fraction));
        if (held >= rows) {
            throw new IllegalArgumentException("validationFraction " + fraction + " leaves no rows to train on ("
                    + rows + " rows)");
        }
        int[] order = new int[rows];
        Arrays.setAll(order, i -> i);
        if (held > 0) {
            Shuffle.permute(order, new SplittableRandom(seed ^ SPLIT_STREAM));
        }
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, rows);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new ValidationSplit(train, validation);
    }

    boolean hasValidation() {
        return validationRows.length > 0;
    }
}
