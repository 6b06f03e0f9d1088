package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.model.CompactArtifact;
import dev.topiary.pruner.unstructured.MagnitudePruner.Scope;
import dev.topiary.pruner.unstructured.MagnitudePruner;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;

/** A 90%-sparse 784-300-100-10 MLP stores at least 4x smaller than the dense one, and loads exactly. */
class CompactArtifactTest {

    @Test
    void ninetyPercentSparseMlpIsFourTimesSmaller() throws Exception {
        MultiLayerNetwork net = TestNets.mlp(784, 300, 100, 10);
        byte[] dense = CompactArtifact.writePlain(net);
        byte[] denseCompact = CompactArtifact.write(net);
        new MagnitudePruner(Scope.GLOBAL, 0.9, Map.of()).prune(net);
        byte[] sparsePlain = CompactArtifact.writePlain(net);
        byte[] sparse = CompactArtifact.write(net);
        System.out.printf("dense ModelSerializer %d B, dense compact %d B, 90%% sparse ModelSerializer %d B (%.2fx), "
                        + "90%% sparse compact %d B (%.2fx)%n", dense.length, denseCompact.length, sparsePlain.length,
                (double) dense.length / sparsePlain.length, sparse.length, (double) dense.length / sparse.length);
        assertTrue(dense.length >= 4.0 * sparse.length, "compact sparse artifact is at least 4x smaller");

        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(sparse));
        assertEquals(net.params(), loaded.params(), "weights are exact after loading");
    }
}
