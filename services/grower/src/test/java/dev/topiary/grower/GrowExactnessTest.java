package dev.topiary.grower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Wider and deeper keep the function on small nets and real images: the largest change of an
 * output probability on 1,000 Fashion-MNIST test images stays below 1e-5 and every prediction is
 * the same, for an MLP, a residual MLP (the add widens both sides), a LeNet with batch norm (the
 * flattening follows the filters) and a residual CNN, with new units that copy old ones or fresh
 * ones; tanh is refused for deeper.
 */
class GrowExactnessTest {
    private static Dataset data;

    @BeforeAll
    static void load() {
        data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL);
    }

    private static Network grow(Model model, Map<String, Object> params) {
        GrowSpec spec = GrowSpec.fromMap(params);
        return Growing.grow(Network.of(model), InputCompatibility.check(model, data), spec, new HashMap<>());
    }

    /** Asserts the same outputs within 1e-5 and the same predicted class for every test image. */
    private static void assertSameFunction(Model before, Model after) {
        INDArray a = ModelMetrics.output(before, data.testFeatures());
        INDArray b = ModelMetrics.output(after, data.testFeatures());
        double diff = Growing.maxAbsDiff(a, b);
        assertTrue(diff <= 1e-5, "max |Δ output| " + diff);
        assertEquals(a.argMax(1), b.argMax(1), "predictions changed");
    }

    private static long nOut(Model model, String layer) {
        Object config = NetworkView.of(model, "grow").node(layer).config();
        return ((FeedForwardLayer) config).getNOut();
    }

    @Test
    void widerMlpByFactorAndByName() {
        MultiLayerNetwork mlp = ModelFactory.mlp(3, new int[] {784, 24, 12, 10});
        Network doubled = grow(mlp, Map.of("method", "wider", "factor", 2));
        assertEquals(48, nOut(doubled.model(), "dense1"));
        assertEquals(24, nOut(doubled.model(), "dense2"));
        assertEquals(10, nOut(doubled.model(), "output"), "the classes never change");
        assertSameFunction(mlp, doubled.model());

        Network named = grow(mlp, Map.of("method", "wider", "layers", Map.of("dense1", 31)));
        assertEquals(31, nOut(named.model(), "dense1"));
        assertEquals(12, nOut(named.model(), "dense2"));
        assertSameFunction(mlp, named.model());
    }

    @Test
    void widerResidualMlpWidensBothSidesOfEveryAdd() {
        ComputationGraph res = ModelFactory.resmlp(784, 16, 2, 10, 5);
        Network wider = grow(res, Map.of("method", "wider", "layers", Map.of("block1_dense2", 24)));
        for (String tied : new String[] {"stem", "block1_dense2", "block2_dense2"}) {
            assertEquals(24, nOut(wider.model(), tied), tied + " is tied to the stem by the adds");
        }
        assertEquals(16, nOut(wider.model(), "block1_dense1"), "the blocks' inner layers are their own");
        assertSameFunction(res, wider.model());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> grow(res, Map.of("method", "wider", "layers", Map.of("stem", 20, "block2_dense2", 24))));
        assertTrue(e.getMessage().contains("one width"), e.getMessage());
    }

    @Test
    void widerConvolutionsCarryBatchNormAndTheFlattening() {
        MultiLayerNetwork lenet = ModelFactory.cnn(4, true);
        Network wider = grow(lenet, Map.of("method", "wider", "factor", 2));
        assertEquals(12, nOut(wider.model(), "conv1"));
        assertEquals(12, nOut(wider.model(), "bn1"), "batch norm grows with its convolution");
        assertEquals(32 * 5 * 5, ((FeedForwardLayer) NetworkView.of(wider.model(), "grow").node("dense1").config()).getNIn());
        assertSameFunction(lenet, wider.model());

        ComputationGraph rescnn = ModelFactory.rescnn(4, 2, 10, 6);
        Network widerRes = grow(rescnn, Map.of("method", "wider", "factor", 2));
        assertEquals(8, nOut(widerRes.model(), "block2_conv2"));
        assertSameFunction(rescnn, widerRes.model());
    }

    @Test
    void deeperInsertsIdentityDenseAndConvolution() {
        MultiLayerNetwork mlp = ModelFactory.mlp(3, new int[] {784, 24, 12, 10});
        Network deeper = grow(mlp, Map.of("method", "deeper", "after", "dense1"));
        assertEquals(4, NetworkView.of(deeper.model(), "grow").nodes().stream().filter(n -> !n.isInput()).count());
        assertEquals(24, nOut(deeper.model(), "dense1_deeper"));
        assertSameFunction(mlp, deeper.model());
        Network twice = grow(deeper.model(), Map.of("method", "deeper", "after", "dense1"));
        assertTrue(NetworkView.of(twice.model(), "grow").has("dense1_deeper2"), "a taken name is numbered");

        MultiLayerNetwork lenet = ModelFactory.cnn(4, false);
        Network deeperCnn = grow(lenet, Map.of("method", "deeper", "after", "pool1", "kernel", 3));
        Object conv = NetworkView.of(deeperCnn.model(), "grow").node("pool1_deeper").config();
        assertTrue(conv instanceof ConvolutionLayer c && c.getKernelSize()[0] == 3, String.valueOf(conv));
        assertSameFunction(lenet, deeperCnn.model());

        ComputationGraph res = ModelFactory.resmlp(784, 16, 2, 10, 5);
        Network deeperRes = grow(res, Map.of("method", "deeper", "after", "block1_add", "name", "extra"));
        assertSameFunction(res, deeperRes.model());
    }

    @Test
    void blocksStartAtZeroInResidualMlpsAndCnns() {
        ComputationGraph res = ModelFactory.resmlp(784, 16, 2, 10, 5);
        Network expanded = grow(res, Map.of("method", "blocks", "every", 1));
        NetworkView view = NetworkView.of(expanded.model(), "grow");
        assertTrue(view.has("grown1_add") && view.has("grown2_add"), "one block after each of the two");
        assertEquals("block1_relu", view.node("grown1_add").inputs().get(0), "after block 1's add and ReLU");
        assertSameFunction(res, expanded.model());

        ComputationGraph rescnn = ModelFactory.rescnn(4, 1, 10, 6);
        Network cnn = grow(rescnn, Map.of("method", "blocks", "after", "stem_relu"));
        assertTrue(NetworkView.of(cnn.model(), "grow").has("grown1_bn2"));
        assertSameFunction(rescnn, cnn.model());
    }

    @Test
    void blocksTurnAPlainMlpOrLeNetIntoTheGraphOfItsOwnLayersAndStayExact() {
        MultiLayerNetwork mlp = ModelFactory.mlp(3, new int[] {784, 24, 10});
        Network expanded = grow(mlp, Map.of("method", "blocks", "after", "dense1"));
        assertTrue(expanded.isGraph(), "the add needs a graph");
        NetworkView view = NetworkView.of(expanded.model(), "grow");
        assertEquals(List.of("grown1_add"), view.node("output").inputs(), "the output reads the new block's add");
        assertEquals("dense1", view.node("grown1_add").inputs().get(0), "which reads dense1: the layers keep their names");
        assertEquals(Network.of(mlp).params("dense1").get("W"), expanded.params("dense1").get("W"));
        assertSameFunction(mlp, expanded.model());

        MultiLayerNetwork lenet = ModelFactory.cnn(4, true);
        Network lenetExpanded = grow(lenet, Map.of("method", "blocks", "after", List.of("relu1", "dense1")));
        assertTrue(NetworkView.of(lenetExpanded.model(), "grow").has("grown1_bn2"), "an image block after relu1");
        assertTrue(NetworkView.of(lenetExpanded.model(), "grow").has("grown2_dense2"), "a dense block after dense1");
        assertSameFunction(lenet, lenetExpanded.model());

        Exception e = assertThrows(RuntimeException.class, () -> grow(mlp, Map.of("method", "blocks", "every", 1)));
        assertTrue(e.getMessage().contains("no residual blocks") && e.getMessage().contains("'after'"), e.getMessage());
    }

    @Test
    void deeperRefusesAnActivationThatIsNotIdempotentUnlessInexactIsAllowed() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).list()
                .layer(new DenseLayer.Builder().name("dense1").nIn(784).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784)).build();
        MultiLayerNetwork tanh = new MultiLayerNetwork(conf);
        tanh.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> grow(tanh, Map.of("method", "deeper", "after", "dense1")));
        assertTrue(e.getMessage().contains("tanh") && e.getMessage().contains("exact: false"), e.getMessage());

        Network inexact = grow(tanh, Map.of("method", "deeper", "after", "dense1", "exact", false));
        double diff = Growing.maxAbsDiff(ModelMetrics.output(tanh, data.testFeatures()),
                ModelMetrics.output(inexact.model(), data.testFeatures()));
        assertTrue(diff > 1e-4, "tanh(tanh(x)) is not tanh(x): " + diff);
    }

    @Test
    void freshUnitsAreExactAndNoCopies() {
        MultiLayerNetwork mlp = ModelFactory.mlp(3, new int[] {784, 8, 10});
        Network fresh = grow(mlp, Map.of("method", "wider", "layers", Map.of("dense1", 16), "init", "fresh"));
        INDArray w = fresh.params("dense1").get("W");
        assertEquals(mlp.getLayer(0).getParam("W"), w.getColumns(0, 1, 2, 3, 4, 5, 6, 7), "the old units stay");
        for (int added = 8; added < 16; added++) {
            for (int old = 0; old < 8; old++) {
                assertNotEquals(w.getColumn(old), w.getColumn(added), "new unit " + added + " copies unit " + old);
            }
        }
        INDArray consumerRows = fresh.params("output").get("W").getRows(8, 9, 10, 11, 12, 13, 14, 15);
        assertEquals(0.0, consumerRows.amaxNumber().doubleValue(), "the output layer reads the new units with weight 0");
        assertEquals(mlp.getLayer(1).getParam("W"), fresh.params("output").get("W").getRows(0, 1, 2, 3, 4, 5, 6, 7),
                "and the old ones undivided");
        assertSameFunction(mlp, fresh.model());

        ComputationGraph res = ModelFactory.resmlp(784, 16, 2, 10, 5);
        assertSameFunction(res, grow(res, Map.of("method", "wider", "factor", 2, "init", "fresh")).model());
        MultiLayerNetwork lenet = ModelFactory.cnn(4, true);
        assertSameFunction(lenet, grow(lenet, Map.of("method", "wider", "factor", 2, "init", "fresh")).model());
        ComputationGraph rescnn = ModelFactory.rescnn(4, 2, 10, 6);
        assertSameFunction(rescnn, grow(rescnn, Map.of("method", "wider", "factor", 2, "init", "fresh")).model());
    }

    @Test
    void noiseBreaksTheCopiesSymmetry() {
        MultiLayerNetwork mlp = ModelFactory.mlp(3, new int[] {784, 8, 10});
        Network exact = grow(mlp, Map.of("method", "wider", "layers", Map.of("dense1", 16), "seed", 9));
        Network noisy = grow(mlp, Map.of("method", "wider", "layers", Map.of("dense1", 16), "seed", 9, "noise", 0.05));
        INDArray w = exact.params("dense1").get("W");
        INDArray n = noisy.params("dense1").get("W");
        assertEquals(w.getColumns(0, 1, 2, 3, 4, 5, 6, 7), n.getColumns(0, 1, 2, 3, 4, 5, 6, 7), "the originals stay");
        assertNotEquals(w.getColumns(8, 9, 10, 11, 12, 13, 14, 15), n.getColumns(8, 9, 10, 11, 12, 13, 14, 15));
        double diff = Growing.maxAbsDiff(ModelMetrics.output(mlp, data.testFeatures()),
                ModelMetrics.output(noisy.model(), data.testFeatures()));
        assertTrue(diff > 0 && diff < 0.2, "small noise moves the outputs a little: " + diff);
    }
}
