package dev.topiary.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.DatasetException;
import dev.topiary.nn.model.ModelFactory;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ModelMetricsTest {

    private final Dataset data = DatasetCatalog.resolve("fashion-mnist-small?train=3000&test=1000");

    @Test
    void mlpParamsAndMacsMatchTheTextbook() {
        MultiLayerNetwork net = ModelFactory.mlp(784, 300, 100, 10);
        assertEquals(266_610, ParamCounts.params(net));
        assertEquals(784 * 300 + 300 * 100 + 100 * 10, ModelMetrics.macs(net));
        assertEquals(266_200, ModelMetrics.macs(net));
    }

    @Test
    void cnnMacsMatchAHandCount() {
        long conv1 = 28 * 28 * 5 * 5 * 1 * 6;   // same padding keeps 28x28
        long conv2 = 10 * 10 * 5 * 5 * 6 * 16;  // 14x14 -> 10x10 without padding
        long dense = 400 * 120 + 120 * 84 + 84 * 10;
        assertEquals(117_600 + 240_000 + 58_920, conv1 + conv2 + dense);
        assertEquals(conv1 + conv2 + dense, ModelMetrics.macs(ModelFactory.cnn(1)));
        // batch norm folds into the convolution before it: no extra MACs
        assertEquals(conv1 + conv2 + dense, ModelMetrics.macs(ModelFactory.cnn(1, true)));
    }

    @Test
    void residualGraphMacsCountOnlyTheDenseLayers() {
        ComputationGraph graph = ModelFactory.resmlp(784, 64, 2, 10, 1);
        assertEquals(784 * 64 + 2 * 2 * 64 * 64 + 64 * 10, ModelMetrics.macs(graph));
        assertEquals(graph.numParams(), ParamCounts.params(graph));
    }

    @Test
    void nonzerosDropWhenWeightsAreZeroedAndTinyValuesStillCount() {
        MultiLayerNetwork net = ModelFactory.mlp(784, 300, 100, 10);
        // biases start at zero
        assertEquals(266_610 - (300 + 100 + 10), ParamCounts.nonzeroParams(net));
        net.getLayer(0).getParam("W").assign(0);
        assertEquals(266_200 - 784 * 300, ParamCounts.nonzeroParams(net));
        net.getLayer(0).getParam("W").putScalar(0, 0, 1e-30f);
        assertEquals(266_200 - 784 * 300 + 1, ParamCounts.nonzeroParams(net));
        // MACs describe the shapes, so zeroed-but-present weights still cost
        assertEquals(266_200, ModelMetrics.macs(net));
    }

    @Test
    void evaluateReturnsExactlyTheAgreedKeys() {
        Map<String, Double> withLatency = ModelMetrics.evaluate(ModelFactory.mlp(784, 300, 100, 10), data, true);
        assertEquals(List.of("accuracy", "loss", "params", "nonzeroParams", "macs", "layers", "latencyMs"),
                List.copyOf(withLatency.keySet()));
        assertEquals(3.0, withLatency.get(ModelMetrics.LAYERS), "two hidden dense layers and the output layer");
        assertTrue(withLatency.get(ModelMetrics.LATENCY_MS) > 0);
        assertEquals(266_610.0, withLatency.get(ModelMetrics.PARAMS));
        assertEquals(266_200.0, withLatency.get(ModelMetrics.MACS));

        // convolutions are slow on a CPU without oneDNN: evaluate the CNN on fewer rows and skip latency
        Dataset few = DatasetCatalog.resolve("fashion-mnist-small?train=100&test=200");
        Map<String, Double> cnn = ModelMetrics.evaluate(ModelFactory.cnn(1), few, false);
        assertEquals(List.of("accuracy", "loss", "params", "nonzeroParams", "macs", "layers"), List.copyOf(cnn.keySet()));
        assertEquals(5.0, cnn.get(ModelMetrics.LAYERS), "conv1, conv2, dense1, dense2, output: not the pools");
        assertEquals(5.0, ModelMetrics.evaluate(ModelFactory.cnn(1, true), few, false).get(ModelMetrics.LAYERS),
                "batch normalization has no weight matrix");
        assertEquals(416_520.0, cnn.get(ModelMetrics.MACS));
        assertEquals(61_706.0, cnn.get(ModelMetrics.PARAMS));

        Map<String, Double> graph = ModelMetrics.evaluate(ModelFactory.resmlp(784, 32, 1, 10, 1), few, false);
        assertFalse(graph.containsKey(ModelMetrics.LATENCY_MS));
        assertTrue(graph.get(ModelMetrics.ACCURACY) >= 0 && graph.get(ModelMetrics.ACCURACY) <= 1);
    }

    @Test
    void untrainedModelIsNearChanceAndTrainingImprovesIt() {
        MultiLayerNetwork net = ModelFactory.mlp(784, 64, 10);
        Map<String, Double> before = ModelMetrics.evaluate(net, data, false);
        assertTrue(before.get("accuracy") < 0.35, before.toString());
        assertEquals(Math.log(10), before.get("loss"), 1.0);

        // one epoch over 3000 rows reaches about 0.68 on Fashion-MNIST
        for (int start = 0; start < data.trainSize(); start += 100) {
            INDArray rows = data.trainFeatures().get(NDArrayIndex.interval(start, start + 100), NDArrayIndex.all());
            INDArray labels = data.trainLabels().get(NDArrayIndex.interval(start, start + 100), NDArrayIndex.all());
            net.fit(rows, labels);
        }
        Map<String, Double> after = ModelMetrics.evaluate(net, data, false);
        assertTrue(after.get("accuracy") > 0.6, after.toString());
        assertTrue(after.get("loss") < before.get("loss"), after.toString());

        // agrees with DL4J's own evaluation and score
        Evaluation evaluation = new Evaluation(10);
        evaluation.eval(data.testLabels(), net.output(data.testFeatures(), false));
        assertEquals(evaluation.accuracy(), after.get("accuracy"), 1e-9);
        assertEquals(net.score(new DataSet(data.testFeatures(), data.testLabels())), after.get("loss"), 1e-3);
    }

    @Test
    void incompatibleDataIsRefusedBeforeEvaluating() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> ModelMetrics.evaluate(ModelFactory.mlp(100, 10), data, false));
        assertTrue(e.getMessage().contains("expects 100 inputs"), e.getMessage());
    }

    @Test
    void latencyRepeatsRowsWhenThereAreFewerThanAThousand() {
        Dataset tiny = DatasetCatalog.resolve("fashion-mnist-small?train=10&test=10");
        assertTrue(ModelMetrics.latencyMs(ModelFactory.mlp(784, 32, 10), tiny.testFeatures()) > 0);
    }
}
