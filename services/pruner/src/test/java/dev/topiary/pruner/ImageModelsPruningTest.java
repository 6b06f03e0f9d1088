package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.CompactArtifact;
import dev.topiary.nn.model.ImageModels;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.recovery.FineTuner;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * Convolutional models beyond LeNet prune structurally: the residual CNN of {@code topiary new
 * rescnn}, whose adds tie the stem's channels to every block's, and a model taking NCHW images as
 * DL4J's zoo builds SimpleCNN.
 */
class ImageModelsPruningTest {
    private final Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL + "?train=512&test=256");

    @Test
    void rescnnTrainsAndPrunesWithItsResidualChannelsTied() {
        ComputationGraph net = ModelFactory.rescnn(8, 2, 10, 3);
        double untrained = ModelMetrics.score(net, data).accuracy();
        // a high rate: 32 steps on a small subset, enough to show it learns, not to converge
        new Trainer(TrainingConfig.defaults().withEpochs(2).withBatchSize(32).withLearningRate(2e-2)).fit(net, data, null, null);
        double trained = ModelMetrics.score(net, data).accuracy();
        assertTrue(trained > untrained + 0.15, "rescnn learns: " + untrained + " -> " + trained);

        PruneResult r = Pruning.apply(net, PruneSpec.fromMap(Map.of("method", "structured", "scope", "layer",
                "keepMacs", 0.5, "importance", "l1", "finetuneEpochs", 0)), data, FineTuner.NONE);

        ComputationGraph small = (ComputationGraph) SafeModelLoader.load(CompactArtifact.write(r.model())).model();
        long stream = nOut(small, "stem");
        assertTrue(stream < 8, "the residual stream lost channels: " + stream);
        for (String tied : new String[] {"block1_conv2", "block2_conv2"}) {
            assertEquals(stream, nOut(small, tied), tied + " adds into the stream, so it keeps the stem's channels");
        }
        assertTrue(nOut(small, "block1_conv1") < 8, "a block's inner width is pruned on its own");
        assertTrue(r.stats().get("macsAfter") <= 0.5 * r.stats().get("macsBefore"), r.stats().toString());
        assertEquals(r.stats().get("macsAfter"), ModelMetrics.evaluate(small, data, false).get(ModelMetrics.MACS));
    }

    @Test
    void aModelTakingImagesPrunesToHalfItsMacs() {
        MultiLayerNetwork net = ImageModels.simpleCnn(4);
        PruneResult r = Pruning.apply(net, PruneSpec.fromMap(Map.of("method", "structured", "scope", "layer",
                "keepMacs", 0.5, "importance", "activation", "importanceSamples", 64, "finetuneEpochs", 0)), data,
                FineTuner.NONE);
        Model small = SafeModelLoader.load(CompactArtifact.write(r.model())).model();
        Map<String, Double> m = ModelMetrics.evaluate(small, data, false);
        assertTrue(m.get(ModelMetrics.MACS) <= 0.5 * ModelMetrics.evaluate(net, data, false).get(ModelMetrics.MACS), m.toString());
        assertEquals(r.stats().get("macsAfter"), m.get(ModelMetrics.MACS));
        assertTrue(m.get(ModelMetrics.PARAMS) < net.numParams());
    }

    private static long nOut(ComputationGraph graph, String layer) {
        return ((FeedForwardLayer) graph.getLayer(layer).conf().getLayer()).getNOut();
    }
}
