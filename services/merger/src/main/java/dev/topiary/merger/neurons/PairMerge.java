package dev.topiary.merger.neurons;

/**
 * Merging unit {@code j} into unit {@code i} of one layer, with {@code j ≈ c·i}: the survivor reads
 * {@code m = (A·w_i + c·B·w_j) / (A + c²·B)} and its outgoing weights become {@code a_i + c·a_j},
 * where {@code w} are incoming weights with the bias, {@code a} outgoing weights, {@code A = ‖a_i‖²}
 * and {@code B = ‖a_j‖²}. That {@code m} minimises {@code A·‖w_i − m‖² + B·‖w_j − c·m‖²}, each
 * unit's input-side error weighted by how much its output matters, and the minimum,
 * {@code A·B·‖w_j − c·w_i‖² / (A + c²·B)}, is the pair's cost. When {@code A} dwarfs {@code B} it
 * is Srinivas and Babu's saliency {@code ‖a_j‖²·‖w_j − c·w_i‖²} with i's weights kept; for a pair
 * with {@code w_j = c·w_i} it is 0 and the merge is exact. {@code c = 0} (no positive scale fits)
 * is pruning j.
 */
record PairMerge(int i, int j, double c, double cost, double weightI, double weightJ) {

    /**
     * @param dot {@code w_i·w_j}
     * @param normI {@code ‖w_i‖²}, positive
     * @param normJ {@code ‖w_j‖²}
     * @param outI {@code ‖a_i‖²}
     * @param outJ {@code ‖a_j‖²}
     * @param homogeneous whether the activation is ReLU or linear (any positive scale carries through it)
     */
    static PairMerge of(int i, int j, double dot, double normI, double normJ, double outI, double outJ, boolean homogeneous) {
        double c = homogeneous ? Math.max(0, dot / normI) : 1;
        double error = Math.max(0, normJ - 2 * c * dot + c * c * normI); // ‖w_j − c·w_i‖²
        double denominator = outI + c * c * outJ;
        if (denominator <= 0) {
            return new PairMerge(i, j, c, outJ * error, 1, 0); // i carries nothing out: keep its weights, j's cost alone
        }
        return new PairMerge(i, j, c, outI * outJ * error / denominator, outI / denominator, c * outJ / denominator);
    }
}
