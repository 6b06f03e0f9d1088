package dev.topiary.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class SafeModelLoaderTest {

    @TempDir
    Path dir;

    private final Dataset data = DatasetCatalog.resolve("fashion-mnist-small?train=256&test=64");

    @BeforeEach
    void resetGadget() {
        Gadget.triggered = false;
    }

    private static byte[] smallMlpZip() {
        return ModelArtifacts.save(ModelFactory.mlp(784, 16, 10), true);
    }

    @Test
    void multiLayerNetworkRoundTripKeepsWeightsAndUpdaterState() {
        MultiLayerNetwork net = ModelFactory.mlp(784, 32, 10);
        net.fit(data.trainFeatures(), data.trainLabels());
        byte[] zip = ModelArtifacts.save(net, true);

        LoadedModel loaded = SafeModelLoader.load(zip);

        assertEquals(ModelFormat.MULTI_LAYER_NETWORK, loaded.format());
        MultiLayerNetwork restored = loaded.multiLayerNetwork();
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.output(data.testFeatures()), restored.output(data.testFeatures()));
        assertEquals("dense1", restored.getLayer(0).conf().getLayer().getLayerName());
        // training resumes: one more step changes the weights the same way in both
        net.fit(data.trainFeatures(), data.trainLabels());
        restored.fit(data.trainFeatures(), data.trainLabels());
        assertTrue(net.params().equalsWithEps(restored.params(), 1e-5));
    }

    @Test
    void computationGraphRoundTrip() {
        ComputationGraph graph = ModelFactory.resmlp(784, 16, 2, 10, 3);
        graph.fit(new org.nd4j.linalg.dataset.DataSet(data.trainFeatures(), data.trainLabels()));
        LoadedModel loaded = SafeModelLoader.load(ModelArtifacts.save(graph, true));

        assertEquals(ModelFormat.COMPUTATION_GRAPH, loaded.format());
        ComputationGraph restored = loaded.computationGraph();
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(graph.outputSingle(data.testFeatures()), restored.outputSingle(data.testFeatures()));
    }

    @Test
    void savingWithoutUpdaterLeavesItOut() {
        byte[] zip = ModelArtifacts.save(ModelFactory.cnn(5), false);
        assertFalse(ModelZips.entries(zip).containsKey(ModelSerializer.UPDATER_BIN));
        assertEquals(ModelFormat.MULTI_LAYER_NETWORK, SafeModelLoader.load(zip).format());
    }

    @Test
    void dl4jAloneWouldRunTheGadget() throws IOException {
        // proves the attack in the next test is real: DL4J's own loader runs the gadget's code
        Path marker = dir.resolve("pwned-by-dl4j");
        byte[] crafted = ModelZips.with(smallMlpZip(), ModelSerializer.PREPROCESSOR_BIN,
                ModelZips.serialize(new Gadget(marker)));
        assertThrows(Exception.class,
                () -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(crafted), true));
        assertTrue(Gadget.triggered);
        assertTrue(Files.exists(marker));
    }

    @Test
    void serializedGadgetInPreprocessorIsRefusedWithoutRunning() {
        Path marker = dir.resolve("pwned");
        byte[] crafted = ModelZips.with(smallMlpZip(), ModelSerializer.PREPROCESSOR_BIN,
                ModelZips.serialize(new Gadget(marker)));

        UnsafeModelException e = assertThrows(UnsafeModelException.class, () -> SafeModelLoader.load(crafted));

        assertTrue(e.getMessage().contains(Gadget.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("preprocessor.bin"), e.getMessage());
        assertFalse(Gadget.triggered, "the gadget's readObject ran");
        assertFalse(Files.exists(marker), "the gadget created its file");
    }

    @Test
    void gadgetHiddenInAnArrayIsRefused() {
        Path marker = dir.resolve("pwned-array");
        byte[] crafted = ModelZips.with(smallMlpZip(), ModelSerializer.PREPROCESSOR_BIN,
                ModelZips.serialize(new Object[] {new Gadget(marker)}));
        UnsafeModelException e = assertThrows(UnsafeModelException.class, () -> SafeModelLoader.load(crafted));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertFalse(Gadget.triggered);
    }

    @Test
    void dl4jPreprocessorIsAcceptedAndNotPassedOn() {
        byte[] zip = ModelZips.with(smallMlpZip(), ModelSerializer.PREPROCESSOR_BIN,
                ModelZips.serialize(new FeedForwardToCnnPreProcessor(28, 28, 1)));
        assertEquals(ModelFormat.MULTI_LAYER_NETWORK, SafeModelLoader.load(zip).format());
    }

    @Test
    void zipBombEntryIsRefusedByRatio() {
        byte[] zeros = new byte[300 << 20]; // past the 256 MiB below which entries are not ratio-checked
        byte[] bomb = ModelZips.with(smallMlpZip(), ModelSerializer.COEFFICIENTS_BIN, zeros);
        assertTrue(bomb.length < 1 << 20, "the test bomb should be small: " + bomb.length);

        UnsafeModelException e = assertThrows(UnsafeModelException.class, () -> SafeModelLoader.load(bomb));
        assertTrue(e.getMessage().contains("coefficients.bin") && e.getMessage().contains("200:1"), e.getMessage());
    }

    @Test
    void anUntrainedNetworkWithItsAllZeroUpdaterStateLoads() {
        // Adam's state starts as zeros, which DEFLATE squeezes about 1000:1: no bomb, just a new model
        byte[] zip = ModelArtifacts.save(ModelFactory.mlp(42, new int[] {784, 300, 100, 10}), true);
        assertEquals(ModelFormat.MULTI_LAYER_NETWORK, SafeModelLoader.load(zip).format());
    }

    @Test
    void smallHighlyCompressibleEntriesAreExempt() {
        // configuration.json compresses far better than 200:1 once padded, but stays under 1 MB
        Map<String, byte[]> entries = ModelZips.entries(smallMlpZip());
        String json = new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8);
        entries.put(ModelSerializer.CONFIGURATION_JSON,
                (json + " ".repeat(900_000)).getBytes(StandardCharsets.UTF_8));
        assertEquals(ModelFormat.MULTI_LAYER_NETWORK, SafeModelLoader.load(ModelZips.zip(entries)).format());
    }

    @Test
    void entryCountAndTotalSizeLimits() {
        byte[] zip = smallMlpZip();
        UnsafeModelException count = assertThrows(UnsafeModelException.class,
                () -> SafeModelLoader.load(zip, ModelZipLimits.DEFAULT.withMaxEntries(2)));
        assertTrue(count.getMessage().contains("more than 2 entries"), count.getMessage());

        UnsafeModelException size = assertThrows(UnsafeModelException.class,
                () -> SafeModelLoader.load(zip, ModelZipLimits.DEFAULT.withMaxTotalBytes(10_000)));
        assertTrue(size.getMessage().contains("maxTotalBytes"), size.getMessage());
    }

    @Test
    void manyJunkEntriesAreRefused() {
        Map<String, byte[]> entries = ModelZips.entries(smallMlpZip());
        for (int i = 0; i < 100; i++) {
            entries.put("junk/" + i, new byte[] {1});
        }
        assertThrows(UnsafeModelException.class, () -> SafeModelLoader.load(ModelZips.zip(entries)));
    }

    @Test
    void unknownEntryIsRefused() {
        UnsafeModelException unknown = assertThrows(UnsafeModelException.class,
                () -> SafeModelLoader.load(ModelZips.with(smallMlpZip(), "objects/payload", new byte[] {1, 2, 3})));
        assertTrue(unknown.getMessage().contains("'objects/payload'"), unknown.getMessage());
    }

    @Test
    void foreignClassInConfigurationIsRefused() {
        Map<String, byte[]> entries = ModelZips.entries(smallMlpZip());
        String json = new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8)
                .replace("org.nd4j.linalg.activations.impl.ActivationReLU", "com.sun.rowset.JdbcRowSetImpl");
        entries.put(ModelSerializer.CONFIGURATION_JSON, json.getBytes(StandardCharsets.UTF_8));
        UnsafeModelException e = assertThrows(UnsafeModelException.class,
                () -> SafeModelLoader.load(ModelZips.zip(entries)));
        assertTrue(e.getMessage().contains("com.sun.rowset.JdbcRowSetImpl")
                && e.getMessage().contains("configuration.json"), e.getMessage());
    }

    @Test
    void deeplyNestedConfigurationIsRefusedBeforeParsing() {
        byte[] nested = ("{\"confs\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
        UnsafeModelException e = assertThrows(UnsafeModelException.class,
                () -> SafeModelLoader.load(ModelZips.with(smallMlpZip(), ModelSerializer.CONFIGURATION_JSON, nested)));
        assertTrue(e.getMessage().contains("nests deeper"), e.getMessage());
    }

    @Test
    void arrayHeaderClaimingMoreThanItHoldsIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Nd4j.create(2, 2).shapeInfoDataBuffer().write(out);
        out.writeUTF("MIXED_DATA_TYPES");
        out.writeLong(1L << 40);
        out.writeUTF("FLOAT");
        out.write(new byte[64]);
        out.flush();
        byte[] crafted = ModelZips.with(smallMlpZip(), ModelSerializer.COEFFICIENTS_BIN, bytes.toByteArray());
        UnsafeModelException e = assertThrows(UnsafeModelException.class, () -> SafeModelLoader.load(crafted));
        assertTrue(e.getMessage().contains("coefficients.bin") && e.getMessage().contains("1099511627776"),
                e.getMessage());
    }

    @Test
    void notAZipOrCorruptIsAClearLoadError() {
        ModelLoadException notZip = assertThrows(ModelLoadException.class,
                () -> SafeModelLoader.load("hello, I am not a model".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notZip.getMessage().contains("not a zip"), notZip.getMessage());

        byte[] zip = ModelArtifacts.save(ModelFactory.mlp(784, 300, 10), false);
        byte[] truncated = Arrays.copyOf(zip, zip.length / 2);
        ModelLoadException corrupt = assertThrows(ModelLoadException.class, () -> SafeModelLoader.load(truncated));
        assertFalse(corrupt instanceof UnsafeModelException);
        assertTrue(corrupt.getMessage().contains("Corrupt model zip"), corrupt.getMessage());

        Map<String, byte[]> entries = ModelZips.entries(zip);
        entries.remove(ModelSerializer.COEFFICIENTS_BIN);
        ModelLoadException missing = assertThrows(ModelLoadException.class,
                () -> SafeModelLoader.load(ModelZips.zip(entries)));
        assertTrue(missing.getMessage().contains("coefficients.bin"), missing.getMessage());
    }

    @Test
    void parametersThatDoNotFitTheConfigurationAreALoadError() {
        Map<String, byte[]> small = ModelZips.entries(ModelArtifacts.save(ModelFactory.mlp(784, 16, 10), false));
        Map<String, byte[]> other = ModelZips.entries(ModelArtifacts.save(ModelFactory.mlp(784, 17, 10), false));
        small.put(ModelSerializer.COEFFICIENTS_BIN, other.get(ModelSerializer.COEFFICIENTS_BIN));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafeModelLoader.load(ModelZips.zip(small)));
        assertFalse(e instanceof UnsafeModelException);
        assertTrue(e.getMessage().contains("MULTI_LAYER_NETWORK"), e.getMessage());
    }

    @Test
    void loadedModelKnowsItsKind() {
        LoadedModel graph = LoadedModel.of(ModelFactory.resmlp(4, 4, 1, 2, 1));
        assertInstanceOf(ComputationGraph.class, graph.model());
        assertEquals(ModelFormat.COMPUTATION_GRAPH, graph.format());
        assertThrows(IllegalStateException.class, graph::multiLayerNetwork);
    }
}
