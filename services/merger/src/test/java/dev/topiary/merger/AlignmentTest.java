package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.merger.align.LinearAssignment;
import dev.topiary.merger.align.WeightMatching;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weight matching undoes a permutation made by hand: a network aligned to a permuted copy of
 * itself gets back the original order (so the same parameters and outputs), on an MLP, a residual
 * MLP (channels tied by the adds move together) and a residual CNN with batch norm.
 */
class AlignmentTest {

    @Test
    void theAssignmentMaximisesTheTotal() {
        double[][] score = {{1, 9, 2}, {8, 7, 3}, {4, 6, 5}};
        assertArrayEquals(new int[] {1, 0, 2}, LinearAssignment.maximise(score)); // 9 + 8 + 5
    }

    @Test
    void aModelAlignedToAPermutedCopyOfItselfIsTheModel() {
        assertRecovers(ModelFactory.mlp(3, new int[] {20, 16, 12, 4}), MergeNets.randomRows(1, 16, 20));
        assertRecovers(ModelFactory.resmlp(20, 12, 2, 4, 5), MergeNets.randomRows(2, 16, 20));
        Model rescnn = ModelFactory.rescnn(6, 1, 10, 6);
        MergeNets.randomiseNorms(rescnn, 7);
        assertRecovers(rescnn, MergeNets.randomRows(3, 8, 784));
    }

    private static void assertRecovers(Model model, INDArray x) {
        Network original = Network.of(model);
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(model, "merge"));
        Random random = new Random(11);
        Map<Integer, int[]> shuffles = new HashMap<>();
        for (ChannelGroup g : graph.prunableGroups()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < g.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            shuffles.put(g.id(), order.stream().mapToInt(Integer::intValue).toArray());
        }
        Network permuted = WeightMatching.apply(graph, shuffles);
        assertTrue(MergeNets.maxAbsDiff(original, permuted, x) < 1e-5, "a permutation keeps the function");
        assertTrue(original.params().sub(permuted.params()).norm2Number().doubleValue() > 1e-3, "but moves the weights");

        WeightMatching.Result r = WeightMatching.align(original, permuted, 42);
        for (Map.Entry<Integer, int[]> e : r.orders().entrySet()) {
            int[] shuffle = shuffles.get(e.getKey());
            for (int j = 0; j < shuffle.length; j++) {
                assertEquals(j, shuffle[e.getValue()[j]], "group " + e.getKey() + ": channel " + j + " back in place");
            }
        }
        assertEquals(0, original.params().sub(r.aligned().params()).amaxNumber().doubleValue(), 1e-6, "the same parameters");
        assertTrue(MergeNets.maxAbsDiff(original, r.aligned(), x) < 1e-5, "the same outputs");
    }
}
