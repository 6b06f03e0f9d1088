package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.merger.combine.Slerp;
import dev.topiary.merger.combine.TaskVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task arithmetic, TIES and DARE on hand-made weight vectors give the values worked out by hand. */
class TaskVectorsTest {
    private static final double[] BASE = {1, 1, 1, 1};
    // task vectors: t1 = [1, -2, 0.5, 0], t2 = [3, 1, -0.5, 0.2]
    private static final double[] M1 = {2, -1, 1.5, 1};
    private static final double[] M2 = {4, 2, 0.5, 1.2};

    @Test
    void taskArithmeticAddsTheScaledSumOfTaskVectors() {
        // 1 + 0.5 * (t1 + t2) = 1 + 0.5 * [4, -1, 0, 0.2]
        assertArrayEquals(new double[] {3, 0.5, 1, 1.1}, TaskVectors.taskArithmetic(BASE, List.of(M1, M2), 0.5), 1e-12);
    }

    @Test
    void tiesTrimsElectsASignAndAveragesTheAgreeingValues() {
        // density 0.5 keeps two of four: t1 -> [1, -2, 0, 0], t2 -> [3, 1, 0, 0]
        // elected signs of the sums [4, -1, 0, 0]: +, -, none, none
        // disjoint means: (1 + 3) / 2 = 2; only t1's -2 agrees with '-'; nothing kept elsewhere
        assertArrayEquals(new double[] {3, -1, 1, 1}, TaskVectors.ties(BASE, List.of(M1, M2), 0.5, 1), 1e-12);
        // with lambda 0.5 the merged vector [2, -2, 0, 0] is halved
        assertArrayEquals(new double[] {2, 0, 1, 1}, TaskVectors.ties(BASE, List.of(M1, M2), 0.5, 0.5), 1e-12);
        // density 1 keeps all: signs of [4, -1, 0, 0.2] = +, -, none (0.5 and -0.5 cancel), +
        assertArrayEquals(new double[] {3, -1, 1, 1.2}, TaskVectors.ties(BASE, List.of(M1, M2), 1, 1), 1e-12);
    }

    @Test
    void dareDropsAndRescalesSoEachEntryIsZeroOrTheTaskValueOverTheKeptShare() {
        assertArrayEquals(TaskVectors.taskArithmetic(BASE, List.of(M1, M2), 1), TaskVectors.dare(BASE, List.of(M1, M2), 0, 1, 7),
                1e-12, "nothing dropped: task arithmetic");
        double[] base = new double[2000];
        double[] model = new double[2000];
        java.util.Arrays.fill(model, 0.3);
        double[] merged = TaskVectors.dare(base, List.of(model), 0.75, 1, 7);
        int kept = 0;
        for (double v : merged) {
            assertTrue(v == 0 || Math.abs(v - 0.3 / 0.25) < 1e-12, "dropped, or 0.3 / (1 - 0.75): " + v);
            kept += v != 0 ? 1 : 0;
        }
        assertTrue(kept > 400 && kept < 600, "about a quarter kept: " + kept);
        assertArrayEquals(merged, TaskVectors.dare(base, List.of(model), 0.75, 1, 7), "seeded");
        assertEquals(0.3 * 2000, java.util.Arrays.stream(merged).sum(), 0.3 * 2000 * 0.15, "expectation kept");
    }

    @Test
    void slerpFollowsTheArcBetweenTwoVectors() {
        double h = Math.sqrt(0.5);
        assertArrayEquals(new double[] {h, h}, Slerp.of(new double[] {1, 0}, new double[] {0, 1}, 0.5), 1e-12);
        // a third of the way along a quarter circle: 30 degrees
        assertArrayEquals(new double[] {Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)},
                Slerp.of(new double[] {1, 0}, new double[] {0, 1}, 1.0 / 3), 1e-12);
        assertArrayEquals(new double[] {2, 4}, Slerp.of(new double[] {1, 2}, new double[] {3, 6}, 0.5), 1e-9, "parallel: linear");
    }
}
