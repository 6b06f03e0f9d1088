package dev.topiary.merger.align;

import java.util.Arrays;

/**
 * The assignment that maximises a total score: {@code σ} with {@code Σᵢ score[i][σ(i)]} largest
 * over all permutations, by the Hungarian method with potentials (Kuhn–Munkres in the O(n³) form
 * of Jonker and Volgenant's shortest augmenting paths).
 */
public final class LinearAssignment {
    private LinearAssignment() {}

    /** For each row {@code i}, the column it is assigned; {@code score} must be square. */
    public static int[] maximise(double[][] score) {
        int n = score.length;
        for (double[] row : score) {
            if (row.length != n) {
                throw new IllegalArgumentException("the score matrix must be square: " + n + " rows, a row of " + row.length);
            }
        }
        // 1-based arrays as in the textbook form; cost = -score is minimised
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] rowOfColumn = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            rowOfColumn[0] = i;
            int column = 0;
            double[] min = new double[n + 1];
            boolean[] used = new boolean[n + 1];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            do {
                used[column] = true;
                int row = rowOfColumn[column];
                double delta = Double.POSITIVE_INFINITY;
                int next = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double reduced = -score[row - 1][j - 1] - u[row] - v[j];
                        if (reduced < min[j]) {
                            min[j] = reduced;
                            way[j] = column;
                        }
                        if (min[j] < delta) {
                            delta = min[j];
                            next = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[rowOfColumn[j]] += delta;
                        v[j] -= delta;
                    } else {
                        min[j] -= delta;
                    }
                }
                column = next;
            } while (rowOfColumn[column] != 0);
            do {
                int previous = way[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            } while (column != 0);
        }
        int[] assigned = new int[n];
        for (int j = 1; j <= n; j++) {
            assigned[rowOfColumn[j] - 1] = j - 1;
        }
        return assigned;
    }
}
