package dev.topiary.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.LayerSummary;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.DatasetException;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.surgery.graph.InputShape;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model taking NCHW images ({@code InputType.convolutional}, as DL4J's zoo builds SimpleCNN) is
 * published, checked against the data, trained and measured on the data set's flat rows.
 */
class ImageInputTest {
    private final Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL + "?train=400&test=200");

    @Test
    void isPublishedWithoutDataAndItsSizeComesFromTheDataLater() {
        MultiLayerNetwork net = ImageModels.simpleCnn(1);
        byte[] zip = ModelArtifacts.save(net, true);
        Model loaded = SafeModelLoader.load(zip).model();

        VersionPublisher.RootVersion root = ModelEvents.root(loaded, zip, OperationKind.IMPORT, Map.of());
        assertFalse(root.metrics().containsKey(ModelMetrics.MACS), "MACs need the image size: " + root.metrics());
        assertEquals((double) net.numParams(), root.metrics().get(ModelMetrics.PARAMS));
        List<LayerSummary> layers = root.architecture();
        assertEquals("3x3x1->8", layers.get(0).getShape());
        assertEquals("?->?", layers.get(2).getShape(), "activation shapes are unknown until the data says");

        InputShape shape = InputCompatibility.check(loaded, data);
        assertEquals(InputShape.image(1, 28, 28), shape);
        assertEquals("28x28x8->28x28x8", ModelEvents.architecture(loaded, shape).get(2).getShape());
    }

    @Test
    void aMismatchNamesBothShapes() {
        Dataset colour = new Dataset("colour", "test", Nd4j.rand(4, 75), Nd4j.eye(4).getColumns(0, 1, 2, 3),
                Nd4j.rand(4, 75), Nd4j.eye(4), 4, new int[] {3, 5, 5});
        DatasetException e = assertThrows(DatasetException.class, () -> InputCompatibility.check(ImageModels.simpleCnn(1), colour));
        assertTrue(e.getMessage().contains("images of 1 channel(s)") && e.getMessage().contains("75 features (3x5x5 images)"),
                e.getMessage());
    }

    @Test
    void trainsAndIsMeasuredOnFlatRowsReshapedToImages() {
        MultiLayerNetwork net = ImageModels.simpleCnn(2);
        double before = ModelMetrics.score(net, data).accuracy();

        new Trainer(TrainingConfig.defaults().withEpochs(2).withBatchSize(32).withLearningRate(1e-2)).fit(net, data, null, null);

        Map<String, Double> m = ModelMetrics.evaluate(net, data, false); // latency: PrunerPipelineTest's image stage
        assertTrue(m.get(ModelMetrics.ACCURACY) > before + 0.15, // two short epochs of a tiny net: learning, not converged
                "accuracy " + before + " -> " + m);
        long convs = 28L * 28 * 9 * (8 + 8 * 8) + 14L * 14 * 9 * 8 * 16;
        assertEquals((double) (convs + 16 * 10), m.get(ModelMetrics.MACS));
    }
}
