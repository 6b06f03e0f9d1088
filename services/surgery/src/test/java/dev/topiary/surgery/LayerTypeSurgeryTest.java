package dev.topiary.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * For every registered layer type, on a small network where that type sits inside the channels
 * being changed: a keep map gives the expected widths, a repeat map with rescaled consumers and a
 * random permutation leave the outputs unchanged, and insert and remove edits give networks that
 * save, load and run. A type without rules is refused by name.
 */
class LayerTypeSurgeryTest {

    /**
     * @param group the producer whose channel group is remapped
     * @param shape what one example looks like (null: what the network records)
     * @param remove an existing layer whose output has its input's shape, or null
     * @param insertAfter where {@code inserted} goes; {@code identity} when it must leave outputs unchanged
     */
    record Case(String type, Supplier<Network> net, String group, long features, InputShape shape, String remove,
                String insertAfter, Supplier<Layer> inserted, boolean identity) {
        @Override
        public String toString() {
            return type + " (" + group + ")";
        }
    }

    static Stream<Case> cases() {
        InputShape image = InputShape.image(1, 6, 6);
        return Stream.of(
                new Case("DenseLayer", SurgeryNets::mlp, "dense1", 6, null, "dense2", "dense1",
                        () -> SurgeryNets.dense("inserted", 8, Activation.RELU), true),
                new Case("OutputLayer", SurgeryNets::shallow, "dense1", 6, null, null, "dense1",
                        () -> SurgeryNets.dense("inserted", 7, Activation.IDENTITY), true),
                new Case("ConvolutionLayer", SurgeryNets::cnn, "conv1", 36, null, "conv2", "conv1",
                        () -> SurgeryNets.conv("inserted", 4, Activation.RELU), true),
                new Case("ConvolutionLayer", SurgeryNets::cnn, "conv2", 36, null, "conv2", "conv2",
                        () -> SurgeryNets.conv("inserted", 4, Activation.RELU), true),
                new Case("SubsamplingLayer", SurgeryNets::pooled, "conv1", 36, null, "pool2", "pool1",
                        () -> new SubsamplingLayer.Builder(PoolingType.MAX).name("inserted").kernelSize(2, 2)
                                .stride(1, 1).convolutionMode(ConvolutionMode.Same).build(), false),
                new Case("BatchNormalization", SurgeryNets::batchNorm, "conv1", 36, null, "bn1", "conv2",
                        () -> new BatchNormalization.Builder().name("inserted").build(), false),
                new Case("BatchNormalization", SurgeryNets::batchNorm, "dense1", 36, null, "bn2", "dense1",
                        () -> new BatchNormalization.Builder().name("inserted").build(), false),
                new Case("DropoutLayer", SurgeryNets::dropout, "dense1", 6, null, "drop1", "dense2",
                        () -> new DropoutLayer.Builder(0.5).name("inserted").build(), true),
                new Case("ActivationLayer", SurgeryNets::activation, "dense1", 6, null, "act1", "dense2",
                        () -> new ActivationLayer.Builder().name("inserted").activation(Activation.RELU).build(), true),
                new Case("GlobalPoolingLayer", SurgeryNets::globalPooling, "conv2", 36, image, "drop", "conv1",
                        () -> SurgeryNets.conv("inserted", 4, Activation.RELU), true),
                new Case("ElementWiseVertex", SurgeryNets::residual, "stem", 6, null, "b1_relu", "b1_relu",
                        () -> SurgeryNets.dense("inserted", 8, Activation.RELU), true),
                new Case("MergeVertex", SurgeryNets::merge, "a", 6, null, null, "merge",
                        () -> new ActivationLayer.Builder().name("inserted").activation(Activation.IDENTITY).build(), true),
                new Case("MergeVertex", SurgeryNets::merge, "b", 6, null, null, "dense1",
                        () -> SurgeryNets.dense("inserted", 6, Activation.RELU), true));
    }

    private static DependencyGraph graph(Network net) {
        return DependencyGraph.of(NetworkView.of(net.model(), "test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepMapGivesTheExpectedWidths(Case c) {
        Network net = c.net().get();
        DependencyGraph graph = graph(net);
        ChannelGroup g = graph.groupOf(c.group());
        int[] kept = IntStream.range(0, g.size()).filter(i -> i != 1 && i != g.size() - 2).toArray();

        Network smaller = IndexPlan.of(Map.of(g.id(), IndexMap.keep(g.size(), kept))).apply(graph);

        NetworkView after = NetworkView.of(smaller.model(), "test");
        for (String producer : g.producers()) {
            assertEquals(kept.length, ((FeedForwardLayer) after.node(producer).layer()).getNOut(), producer + " nOut");
        }
        for (String norm : g.normalizations()) {
            assertEquals(kept.length, ((FeedForwardLayer) after.node(norm).layer()).getNOut(), norm + " channels");
        }
        for (Consumer reader : g.consumers()) {
            long before = ((FeedForwardLayer) graph.view().node(reader.node()).layer()).getNIn();
            assertEquals(before - 2L * reader.block(), ((FeedForwardLayer) after.node(reader.node()).layer()).getNIn(),
                    reader.node() + " nIn");
        }
        INDArray out = smaller.output(SurgeryNets.rows(5, c.features(), 1));
        assertEquals(List.of(5L, (long) SurgeryNets.CLASSES), Arrays.stream(out.shape()).boxed().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void repeatMapWithRescaledConsumersKeepsTheOutputs(Case c) {
        Network net = c.net().get();
        INDArray x = SurgeryNets.rows(16, c.features(), 2);
        INDArray before = net.output(x);
        DependencyGraph graph = graph(net);
        ChannelGroup g = graph.groupOf(c.group());

        Network wider = IndexPlan.of(Map.of(g.id(), IndexMap.widen(g.size(), new int[] {0, 2, 2}))).apply(graph);

        assertEquals(g.size() + 3, graph(wider).groupOf(c.group()).size());
        assertTrue(wider.output(x).equalsWithEps(before, 1e-5), "Net2WiderNet keeps the function: " + c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void extendMapWithSilentChannelsKeepsTheOutputsWhateverTheyCompute(Case c) {
        Network net = c.net().get();
        INDArray x = SurgeryNets.rows(16, c.features(), 4);
        INDArray before = net.output(x);
        DependencyGraph graph = graph(net);
        ChannelGroup g = graph.groupOf(c.group());

        Network wider = IndexPlan.of(Map.of(g.id(), IndexMap.extend(g.size(), new int[] {0, 2, 2}))).apply(graph);
        // extend's contract: consumers read the new channels with weight 0, so anything their
        // producers compute is silent (a Net2WiderNet repeat would break here, its copies changed)
        DependencyGraph widerGraph = graph(wider);
        assertEquals(g.size() + 3, widerGraph.groupOf(c.group()).size());
        scrambleChannelsFrom(wider, widerGraph, c.group(), g.size());

        assertTrue(wider.output(x).equalsWithEps(before, 1e-5), "silent channels keep the function: " + c);
    }

    /** Overwrites every producer parameter entry of the group's channels from {@code first} on with large random values. */
    private static void scrambleChannelsFrom(Network net, DependencyGraph graph, String member, int first) {
        Random random = new Random(11);
        for (String producer : graph.groupOf(member).producers()) {
            net.params(producer).forEach((name, values) -> {
                ParamAxes axes = graph.view().node(producer).rules().axes(name);
                if (axes == null || !axes.hasOut()) {
                    return;
                }
                int axis = ParamAxes.resolve(axes.outAxis(), values.rank());
                long[] shape = values.shape();
                long inner = 1;
                for (int d = axis + 1; d < shape.length; d++) {
                    inner *= shape[d];
                }
                double[] flat = values.dup('c').data().asDouble();
                for (int i = 0; i < flat.length; i++) {
                    if ((i / inner) % shape[axis] >= first) {
                        flat[i] = 3 * random.nextGaussian();
                    }
                }
                values.assign(Nd4j.create(flat, shape, 'c').castTo(values.dataType()));
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void permutationOfOneLayersUnitsKeepsTheOutputs(Case c) {
        Network net = c.net().get();
        INDArray x = SurgeryNets.rows(16, c.features(), 3);
        INDArray before = net.output(x);
        DependencyGraph graph = graph(net);
        ChannelGroup g = graph.groupOf(c.group());
        List<Integer> order = new ArrayList<>(IntStream.range(0, g.size()).boxed().toList());
        Collections.shuffle(order, new Random(c.group().hashCode()));

        Network permuted = IndexPlan.of(Map.of(g.id(), IndexMap.permute(order.stream().mapToInt(Integer::intValue).toArray())))
                .apply(graph);

        assertTrue(permuted.output(x).equalsWithEps(before, 1e-6), "permuted units, same function: " + c);
        INDArray w = net.params(c.group()).get("W");
        INDArray moved = permuted.params(c.group()).get("W");
        assertTrue(!w.equals(moved), "the weights really moved");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void insertAndRemoveEditsGiveNetworksThatLoadAndRun(Case c) {
        Network net = c.net().get();
        INDArray x = SurgeryNets.rows(8, c.features(), 4);
        INDArray before = net.output(x);
        Edits edits = c.shape() == null ? Edits.of(net) : Edits.of(net, c.shape());

        Network inserted = c.identity() ? edits.insertIdentityAfter(c.insertAfter(), "inserted", c.inserted().get())
                : edits.insertAfter(c.insertAfter(), "inserted", c.inserted().get(), null);
        Network loaded = SurgeryNets.saveAndLoad(inserted);
        assertEquals(inserted.model().numParams(), loaded.model().numParams());
        INDArray withInserted = loaded.output(x);
        if (c.identity()) {
            assertTrue(withInserted.equalsWithEps(before, 1e-5), "an identity layer keeps the function: " + c);
        }

        Edits again = c.shape() == null ? Edits.of(loaded) : Edits.of(loaded, c.shape());
        Network removedAgain = SurgeryNets.saveAndLoad(again.remove("inserted"));
        assertTrue(removedAgain.output(x).equalsWithEps(before, 1e-6), "removing the inserted layer restores the network");

        if (c.remove() != null) {
            Network shorter = SurgeryNets.saveAndLoad(edits.remove(c.remove()));
            assertEquals(List.of(8L, (long) SurgeryNets.CLASSES), Arrays.stream(shorter.output(x).shape()).boxed().toList());
            assertTrue(!NetworkView.of(shorter.model(), "test").has(c.remove()), c.remove() + " is gone");
        }
    }

    @Test
    void outputLayersChannelsAreNeverRemapped() {
        Network net = SurgeryNets.mlp();
        DependencyGraph graph = graph(net);
        ChannelGroup classes = graph.groupOf("output");
        assertTrue(classes.fixedReason().contains("output layer 'output'"), classes.fixedReason());
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> IndexPlan.of(
                Map.of(classes.id(), IndexMap.permute(new int[] {2, 1, 0}))).apply(graph));
        assertTrue(e.getMessage().contains("'output'"), e.getMessage());
    }

    @Test
    void unregisteredTypeIsRefusedByName() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> NetworkView.of(SurgeryNets.withLstm(), "cut"));
        assertTrue(e.getMessage().startsWith("cut: layer 'lstm1' of type LSTM is not supported (supported: DenseLayer, "),
                e.getMessage());
    }
}
