package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.merger.align.LinearAssignment;
import dev.topiary.merger.align.Repair;
import dev.topiary.merger.align.WeightMatching;
import dev.topiary.merger.combine.Soup;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Weight matching undoes a permutation made by hand: a network aligned to a permuted copy of
 * itself gets back the original order (so the same parameters and outputs), on an MLP, a residual
 * MLP (channels tied by the adds move together) and a residual CNN with batch norm. REPAIR gives
 * every hidden Dense unit and every convolution channel of an average the endpoints' mean and
 * spread.
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

    @Test
    void repairGivesEachHiddenUnitTheEndpointsMeanAndSpread() {
        Network a = Network.of(ModelFactory.mlp(1, new int[] {20, 16, 12, 4}));
        Network b = WeightMatching.align(a, Network.of(ModelFactory.mlp(2, new int[] {20, 16, 12, 4})), 42).aligned();
        Network soup = Soup.uniform(List.of(a, b));
        INDArray x = MergeNets.randomRows(5, 256, 20);
        assertEquals(2, Repair.repair(soup, List.of(a, b), x));
        for (String layer : List.of("dense1", "dense2")) {
            String input = layer.equals("dense1") ? "input" : "dense1";
            INDArray za = preActivation(a, layer, a.activations(x), input);
            INDArray zb = preActivation(b, layer, b.activations(x), input);
            INDArray z = preActivation(soup, layer, soup.activations(x), input);
            INDArray mean = za.mean(0).add(zb.mean(0)).div(2);
            INDArray std = za.std(false, 0).add(zb.std(false, 0)).div(2);
            assertEquals(0, z.mean(0).sub(mean).amaxNumber().doubleValue(), 1e-4, layer + " means");
            assertEquals(0, z.std(false, 0).sub(std).amaxNumber().doubleValue(), 1e-4, layer + " spreads");
        }
    }

    @Test
    void repairGivesEachConvolutionChannelTheEndpointsMeanAndSpread() {
        // LeNet without batch norm (ReLU convolutions, then Dense layers behind a flattening) and rescnn
        // (identity convolutions before batch norm, channels tied by residual adds); REPAIR's promise holds
        // for any average, so the members are not aligned first
        INDArray x = MergeNets.randomRows(6, 32, 784);
        for (boolean residual : new boolean[] {false, true}) {
            Network a = Network.of(residual ? ModelFactory.rescnn(4, 1, 10, 1) : ModelFactory.cnn(1));
            Network b = Network.of(residual ? ModelFactory.rescnn(4, 1, 10, 2) : ModelFactory.cnn(2));
            Network soup = Soup.uniform(List.of(a, b));
            List<String> layers = residual ? List.of("stem", "block1_conv1", "block1_conv2")
                    : List.of("conv1", "conv2", "dense1", "dense2");
            assertEquals(layers.size(), Repair.repair(soup, List.of(a, b), x));
            Map<String, INDArray> outputs = soup.activations(x);
            for (String layer : layers) {
                INDArray za = Repair.preActivations(a, layer, x);
                INDArray zb = Repair.preActivations(b, layer, x);
                INDArray z = Repair.preActivations(soup, layer, x);
                if (!residual) { // rescnn's convolutions have no activation: there the two would be one array
                    INDArray output = outputs.get(layer).castTo(DataType.DOUBLE);
                    assertEquals(0, Transforms.relu(z).sub(output).amaxNumber().doubleValue(), 1e-4,
                            layer + ": the pre-activations are what the layer's activation reads");
                }
                int[] over = z.rank() == 2 ? new int[] {0} : new int[] {0, 2, 3};
                INDArray mean = za.mean(over).add(zb.mean(over)).div(2);
                INDArray std = za.std(false, over).add(zb.std(false, over)).div(2);
                assertEquals(0, z.mean(over).sub(mean).amaxNumber().doubleValue(), 1e-4, layer + " means");
                assertEquals(0, z.std(false, over).sub(std).amaxNumber().doubleValue(),
                        1e-4 * (1 + std.amaxNumber().doubleValue()), layer + " spreads");
            }
        }
    }

    private static INDArray preActivation(Network net, String layer, Map<String, INDArray> acts, String input) {
        return acts.get(input).mmul(net.params(layer).get("W")).addRowVector(net.params(layer).get("b"));
    }
}
