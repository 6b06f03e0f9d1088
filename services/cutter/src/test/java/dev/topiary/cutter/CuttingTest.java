package dev.topiary.cutter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.recovery.FineTuner;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cutting end to end on tiny nets and random data: what the criteria rank first, cut networks of
 * both kinds that save, load and run, and the refusals.
 */
class CuttingTest {
    private static final Dataset FLAT = CutNets.random(12, 3, 200, 50, null);
    private static final Dataset IMAGES = CutNets.random(64, 3, 120, 30, new int[] {1, 8, 8});

    @Test
    void aBlockScaledToNearIdentityRanksFirstByEitherSimilarity() {
        ComputationGraph net = ModelFactory.resmlp(12, 8, 4, 3, 5);
        Network n = Network.of(net);
        n.params("block3_dense2").values().forEach(p -> p.muli(1e-3));
        List<CutUnit> units = CutEditorTest.units(n, false);
        INDArray rows = Nd4j.rand(DataType.FLOAT, 64, 12);
        for (Criterion c : List.of(Criterion.ANGULAR, Criterion.COSINE)) {
            Selection s = new Selection(c, false, units, st -> Similarity.scores(n, rows, st, c), cut -> 0);
            assertEquals(List.of("block3"), s.cuts(1).stream().map(CutUnit::name).toList(), c + " " + s.scores());
            assertTrue(s.scores().get("block3") < 0.01, s.scores().toString());
            assertTrue(s.scores().values().stream().filter(v -> v > 0.01).count() == 3, s.scores().toString());
        }
        Selection last = new Selection(Criterion.LAST, true, units, null, null);
        assertEquals(List.of("block3", "block4"), last.cuts(2).stream().map(CutUnit::name).toList());
    }

    @Test
    void cutMultiLayerNetworkLoadsAndRuns() throws Exception {
        MultiLayerNetwork net = CutNets.mlp(Activation.RELU, 12, 8, 8, 8, 8, 3);
        CutResult r = Cutting.apply(net, CutSpec.fromMap(Map.of("blocks", 2, "criterion", "cosine")), FLAT, FineTuner.NONE);
        assertEquals(2, r.removed().size());
        assertEquals(3, r.scores().size(), "dense1..dense3 are n -> n; dense0 reads the input: " + r.scores());
        assertEquals(2.0, r.stats().get("layersRemoved"));
        assertEquals(net.numParams() - 2 * (8 * 8 + 8), r.model().numParams());
        assertRuns(reload(r.model(), false), 12);
        assertEquals(5, net.getnLayers(), "the input model is not changed");
    }

    @Test
    void cutGraphOfConvolutionsLoadsAndRunsByEachCriterion() throws Exception {
        ComputationGraph net = ModelFactory.rescnn(8, 8, 1, 4, 3, 3, 5);
        for (String criterion : List.of("angular", "loss", "last")) {
            CutResult r = Cutting.apply(net, CutSpec.fromMap(Map.of("blocks", 2, "criterion", criterion)), IMAGES, heal());
            assertEquals(2, r.removed().size(), criterion);
            assertEquals(2 * 6.0, r.stats().get("layersRemoved"), "conv, bn, relu, conv, bn and the add per block");
            assertTrue(r.stats().get("holdoutAccuracyAfter") >= 0 && r.stats().containsKey("holdoutAccuracyBeforeHeal"));
            assertRuns(reload(r.model(), true), 64);
        }
    }

    @Test
    void aBridgeOverFeatureMapsIsOneByOneConvolution() throws Exception {
        ComputationGraph net = ModelFactory.rescnn(8, 8, 1, 4, 3, 3, 5);
        CutResult r = Cutting.apply(net, CutSpec.fromMap(Map.of("span", 2, "bridge", "linear", "finetuneEpochs", 0)),
                IMAGES, FineTuner.NONE);
        assertEquals(4 * 4 + 4, r.stats().get("bridgeParams"));
        Model loaded = reload(r.model(), true);
        assertTrue(NetworkView.of(loaded, "cut").nodes().stream().anyMatch(n -> n.name().startsWith("bridge_")));
        assertRuns(loaded, 64);
    }

    @Test
    void accuracyBudgetCutsTheMostWithinIt() {
        ComputationGraph net = ModelFactory.resmlp(12, 8, 3, 3, 5);
        CutResult all = Cutting.apply(net, CutSpec.fromMap(Map.of("maxAccuracyDrop", 1.0, "finetuneEpochs", 0)), FLAT,
                FineTuner.NONE);
        assertEquals(3, all.removed().size(), "every drop is within a budget of 1");
        assertEquals(1.0, all.stats().get("searchProbes"));
        CutResult bounded = Cutting.apply(net, CutSpec.fromMap(Map.of("maxAccuracyDrop", 1.0, "blocks", 2,
                "finetuneEpochs", 0)), FLAT, FineTuner.NONE);
        assertEquals(2, bounded.removed().size());
    }

    @Test
    void keepMacsCutsTheFewestThatFit() {
        // MACs: stem 12*8 = 96, each block 2*8*8 = 128, output 8*3 = 24: 632 in all; 60% is 379, left by two cuts (376)
        ComputationGraph net = ModelFactory.resmlp(12, 8, 4, 3, 5);
        CutResult r = Cutting.apply(net, CutSpec.fromMap(Map.of("keepMacs", 0.6, "finetuneEpochs", 0)), FLAT, FineTuner.NONE);
        assertEquals(2, r.removed().size(), r.stats().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cutting.apply(net,
                CutSpec.fromMap(Map.of("keepMacs", 0.1, "finetuneEpochs", 0)), FLAT, FineTuner.NONE));
        assertTrue(e.getMessage().contains("cutting all 4 units leaves 120 of 632"), e.getMessage());
    }

    @Test
    void healingIsKeptOnlyWhenItHelpsOnTheHoldout() {
        Dataset allZero = new Dataset("zeros", "test", FLAT.trainFeatures(), classZero(FLAT.trainSize()), FLAT.testFeatures(),
                classZero(FLAT.testSize()), 3, null);
        CutSpec spec = CutSpec.fromMap(Map.of("blocks", 1, "criterion", "last"));
        ComputationGraph favoursZero = favouring(0);
        CutResult spoiled = Cutting.apply(favoursZero, spec, allZero, (m, epochs, hook) -> favour(m, 1));
        assertEquals(0.0, spoiled.stats().get("healKept"));
        assertEquals(1.0, spoiled.stats().get("holdoutAccuracyAfter"), "the cut model, not the spoiled one");
        CutResult helped = Cutting.apply(favouring(1), spec, allZero, (m, epochs, hook) -> favour(m, 0));
        assertEquals(1.0, helped.stats().get("healKept"));
        assertEquals(0.0, helped.stats().get("holdoutAccuracyBeforeHeal"));
        assertEquals(1.0, helped.stats().get("holdoutAccuracyAfter"));
    }

    private static ComputationGraph favouring(int label) {
        ComputationGraph net = ModelFactory.resmlp(12, 8, 2, 3, 5);
        favour(net, label);
        return net;
    }

    /** Makes the output layer predict {@code label} whatever it reads. */
    private static void favour(Model model, int label) {
        Map<String, INDArray> p = Network.of(model).params("output");
        p.get("W").assign(0);
        p.get("b").assign(0).putScalar(label, 10);
    }

    private static INDArray classZero(int rows) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 3);
        y.getColumn(0).assign(1);
        return y;
    }

    @Test
    void aHeadRefitAloneChangesOnlyTheOutputLayerAndLiftsTheHoldout() {
        Dataset fashion = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL + "?train=1000&test=200");
        ComputationGraph net = ModelFactory.resmlp(784, 16, 3, 10, 5);
        CutResult r = Cutting.apply(net, CutSpec.fromMap(Map.of("blocks", 2, "criterion", "last", "finetuneEpochs", 0,
                "refitHead", true)), fashion, TrainingListener.NONE);
        assertEquals(1.0, r.stats().get("healKept"));
        assertTrue(r.stats().get("holdoutAccuracyAfter") > r.stats().get("holdoutAccuracyBeforeHeal") + 0.2,
                "an untrained net's head refitted to its features: " + r.stats());
        Network refitted = Network.of(r.model());
        Network cutOnly = Network.of(Cutting.without(net, fashion, r.removed()));
        for (String layer : List.of("stem", "block1_dense1", "block1_dense2")) {
            assertEquals(cutOnly.layerParams(layer), refitted.layerParams(layer), layer + " is not touched");
        }
        assertNotEquals(cutOnly.layerParams("output"), refitted.layerParams("output"));
    }

    @Test
    void nothingToCutAndTooMuchAreRefusedWithTheReason() {
        MultiLayerNetwork plain = CutNets.mlp(Activation.RELU, 12, 6, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cutting.apply(plain, CutSpec.fromMap(Map.of("blocks", 1)), FLAT, FineTuner.NONE));
        assertTrue(e.getMessage().contains("no residual block and no layer with equal input and output shape")
                && e.getMessage().contains("bridge: linear"), e.getMessage());
        ComputationGraph net = ModelFactory.resmlp(12, 8, 3, 3, 5);
        e = assertThrows(IllegalArgumentException.class,
                () -> Cutting.apply(net, CutSpec.fromMap(Map.of("blocks", 4)), FLAT, FineTuner.NONE));
        assertTrue(e.getMessage().contains("asked to cut 4 but the model has 3"), e.getMessage());
    }

    private static FineTuner heal() {
        return (model, epochs, hook) -> Network.of(model).fit(IMAGES.trainFeatures(), IMAGES.trainLabels());
    }

    private static Model reload(Model model, boolean graph) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model, out, true);
        return graph ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(out.toByteArray()), true)
                : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(out.toByteArray()), true);
    }

    private static void assertRuns(Model model, int features) {
        INDArray out = Network.of(model).output(Nd4j.rand(DataType.FLOAT, 5, features));
        assertEquals(5, out.size(0));
        assertEquals(5.0, out.sumNumber().doubleValue(), 1e-4, "softmax rows sum to one");
    }
}
