package dev.topiary.grower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.TrainingListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;

/**
 * A grown network is an ordinary one: ModelSerializer saves and loads it with its layer names, the
 * shared trainer trains it on (the loss goes down), and the guards hand back the input unchanged.
 */
class GrownNetworkTest {

    @Test
    void grownNetworkLoadsTrainsAndKeepsItsLayerNames() throws Exception {
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL).limit(1000, 500);
        ComputationGraph res = ModelFactory.resmlp(784, 8, 1, 10, 5);
        GrowSpec spec = GrowSpec.fromMap(Map.of("method", "wider", "factor", 2, "noise", 0.01, "finetuneEpochs", 2,
                "finetuneLearningRate", 0.003));
        double lossBefore = ModelMetrics.score(res, data).loss();
        GrowResult r = Growing.apply(res, spec, data, TrainingListener.NONE);
        assertNull(r.limit());
        assertTrue(r.stats().get("maxOutputChange") > 0 && r.stats().get("maxOutputChange") < 0.2, r.stats().toString());
        assertEquals(16.0, r.stats().get("unitsAdded"), "stem group (with block1_dense2) and block1_dense1 grow by 8 each: "
                + r.stats());
        assertTrue(r.stats().get("paramsAfter") > r.stats().get("paramsBefore"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(r.model(), bytes, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        List<String> names = List.of("stem", "block1_dense1", "block1_dense2", "block1_add", "block1_relu", "output");
        for (String n : names) {
            assertTrue(loaded.getConfiguration().getVertices().containsKey(n), "layer " + n + " kept");
        }
        assertEquals(res.getConfiguration().getVertices().keySet(), loaded.getConfiguration().getVertices().keySet());
        assertEquals(r.model().params(), loaded.params());
        double lossAfter = ModelMetrics.score(loaded, data).loss();
        assertTrue(lossAfter < lossBefore, "trained on: loss " + lossBefore + " -> " + lossAfter);
    }

    @Test
    void aPlainMlpGivenABlockIsSavedAsAGraphAndTrainsOn() throws Exception {
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL).limit(1000, 500);
        MultiLayerNetwork mlp = ModelFactory.mlp(2, new int[] {784, 16, 10});
        GrowResult r = Growing.apply(mlp, GrowSpec.fromMap(Map.of("method", "blocks", "after", "dense1", "finetuneEpochs", 2,
                "finetuneLearningRate", 0.003)), data, TrainingListener.NONE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(r.model(), bytes, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertTrue(loaded.getConfiguration().getVertices().keySet().containsAll(
                List.of("dense1", "output", "grown1_dense1", "grown1_dense2", "grown1_add")), loaded.getConfiguration().getVertices().keySet().toString());
        assertTrue(ModelMetrics.score(loaded, data).loss() < ModelMetrics.score(mlp, data).loss(), "trained on");
    }

    @Test
    void duplicateRepeatsARangeOfBlocksWithTheirWeights() {
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL).limit(500, 200);
        ComputationGraph res = ModelFactory.resmlp(784, 8, 3, 10, 5);
        GrowResult r = Growing.apply(res, GrowSpec.fromMap(Map.of("method", "duplicate", "range", List.of(2, 3))), data,
                TrainingListener.NONE);
        ComputationGraph up = (ComputationGraph) r.model();
        assertEquals(List.of("block2_dense1_copy1", "block2_dense2_copy1", "block2_add_copy1", "block2_relu_copy1",
                "block3_dense1_copy1", "block3_dense2_copy1", "block3_add_copy1", "block3_relu_copy1"), r.added());
        assertEquals(res.getLayer("block3_dense2").params(), up.getLayer("block3_dense2_copy1").params());
        assertEquals(List.of("block3_relu"), List.of(up.getConfiguration().getVertexInputs().get("block2_dense1_copy1").get(0)),
                "the copies follow the last repeated block");
        assertEquals(List.of("block3_relu_copy1"), up.getConfiguration().getVertexInputs().get("output"));
        assertTrue(r.stats().get("maxOutputChange") > 0, "repeating blocks is not exact: " + r.stats());
        assertTrue(r.stats().containsKey("holdoutAccuracyGrown"), "the accuracy before training is recorded");
    }

    @Test
    void aGrowPastTheGuardReturnsItsInputUnchanged() {
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL).limit(200, 100);
        var mlp = ModelFactory.mlp(3, new int[] {784, 8, 10});
        GrowResult r = Growing.apply(mlp, GrowSpec.fromMap(Map.of("method", "wider", "factor", 2, "maxParams", 10000)),
                data, TrainingListener.NONE);
        assertTrue(r.limit() != null && r.limit().startsWith("maxParams"), String.valueOf(r.limit()));
        assertEquals(1.0, r.stats().get("limitReached"));
        assertTrue(r.model() == mlp, "the input itself is published");
    }
}
