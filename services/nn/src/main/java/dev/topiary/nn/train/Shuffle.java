package dev.topiary.nn.train;

import java.util.SplittableRandom;

/** Fisher-Yates on an index array: the one shuffle every part of training uses, so seeds mean the same everywhere. */
final class Shuffle {
    private Shuffle() {}

    static void permute(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
