package dev.topiary.merger.neurons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The pair rule on hand-made vectors, w_i = (1, 0) and ‖a_i‖² = ‖a_j‖² = 1: its scale, cost and
 * the survivor's weighted mean, each worked out by hand.
 */
class PairMergeTest {

    @Test
    void aReluPairMergesAtItsBestScaleIntoTheWeightedMean() {
        // w_j = (2, 2): c = w_i·w_j / ‖w_i‖² = 2; ‖w_j − 2w_i‖² = 4; cost = 1·1·4 / (1 + 4·1) = 0.8;
        // m = (1·w_i + 2·1·w_j) / 5 = (1, 0.8), and ‖w_i − m‖² + ‖w_j − 2m‖² = 0.64 + 0.16 = 0.8
        PairMerge p = PairMerge.of(0, 1, 2, 1, 8, 1, 1, true);
        assertPair(p, 2, 0.8, 0.2, 0.4);
    }

    @Test
    void anotherActivationMergesAtScaleOne() {
        // c = 1: ‖w_j − w_i‖² = 5, cost = 5 / 2, m the plain mean
        PairMerge p = PairMerge.of(0, 1, 2, 1, 8, 1, 1, false);
        assertPair(p, 1, 2.5, 0.5, 0.5);
    }

    @Test
    void opposedUnitsHaveNoPositiveScaleSoMergingIsPruning() {
        // w_j = (−1, 0): c = 0, the cost is j's own saliency ‖a_j‖²·‖w_j‖² = 1 and i keeps its weights
        PairMerge p = PairMerge.of(0, 1, -1, 1, 1, 1, 1, true);
        assertPair(p, 0, 1, 1, 0);
    }

    private static void assertPair(PairMerge p, double c, double cost, double weightI, double weightJ) {
        assertEquals(c, p.c(), 1e-12, "c");
        assertEquals(cost, p.cost(), 1e-12, "cost");
        assertEquals(weightI, p.weightI(), 1e-12, "weight of w_i");
        assertEquals(weightJ, p.weightJ(), 1e-12, "weight of w_j");
    }
}
