package dev.topiary.nn.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Soft targets mix the parent's probabilities into the training labels and leave the rest alone. */
class DistillationTest {

    @Test
    void trainingLabelsMixTheParentsProbabilitiesIn() {
        MultiLayerNetwork parent = ModelFactory.mlp(7L, new int[] {6, 5, 3});
        INDArray x = Nd4j.rand(new long[] {2100, 6}).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT); // more than one chunk
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2100, 3);
        for (int i = 0; i < 2100; i++) {
            y.putScalar(i, i % 3, 1);
        }
        INDArray hardBefore = y.dup();
        Dataset data = new Dataset("d", "test", x, y, x, y, 3, null);

        Dataset soft = Distillation.softTargets(data, parent, 0.9);

        INDArray expected = ModelMetrics.output(parent, x).mul(0.9).addi(hardBefore.mul(0.1));
        assertEquals(0.0, soft.trainLabels().sub(expected).amaxNumber().doubleValue(), 1e-6);
        assertEquals(2100.0, soft.trainLabels().sumNumber().doubleValue(), 1e-2, "every row still sums to 1");
        assertSame(data.testLabels(), soft.testLabels(), "test labels are the data set's own");
        assertEquals(hardBefore, data.trainLabels(), "the original labels are not changed");
        assertSame(data, Distillation.softTargets(data, parent, 0), "weight 0 is no distillation");
    }
}
