package dev.topiary.nn.recovery;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Knowledge distillation from the unchanged parent (Hinton et al., 2015) at temperature 1, done in
 * the data rather than in the trainer: the training labels become {@code (1 - w) * onehot + w *
 * p_parent}. Softmax cross-entropy against such soft targets is the distillation loss (up to a
 * constant), so the shared trainer fine-tunes with it unchanged. The parent's probabilities say
 * which wrong classes are nearly right; a heavily pruned (or cut) network recovers more of the parent's
 * accuracy from them, and more consistently from run to run, than from the hard labels alone.
 * Only the training rows change; the test rows and their labels are the data set's own.
 */
public final class Distillation {
    /** Rows per forward pass: bounds the activations held at once (a CNN's are large). */
    private static final int CHUNK = 1024;

    private Distillation() {
    }

    /**
     * @param weight share of the parent's probabilities in each training label, in [0, 1]; 0
     *        returns {@code data} itself
     */
    public static Dataset softTargets(Dataset data, Model parent, double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("distillation weight must be in [0, 1], got " + weight);
        }
        if (weight == 0) {
            return data;
        }
        INDArray labels = data.trainLabels();
        int rows = data.trainSize();
        INDArray soft = Nd4j.create(DataType.DOUBLE, labels.shape());
        for (int start = 0; start < rows; start += CHUNK) {
            int end = Math.min(rows, start + CHUNK);
            INDArray rowsIn = data.trainFeatures().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            INDArray p = ModelMetrics.output(parent, rowsIn);
            if (p.rank() != 2 || p.size(1) != labels.size(1)) {
                throw new IllegalArgumentException("the parent has " + p.size(p.rank() - 1) + " outputs, the data "
                        + labels.size(1) + " classes: cannot distil");
            }
            soft.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(p.castTo(DataType.DOUBLE));
        }
        INDArray mixed = soft.muli(weight).addi(labels.castTo(DataType.DOUBLE).mul(1 - weight)).castTo(labels.dataType());
        return new Dataset(data.name(), data.source(), data.trainFeatures(), mixed, data.testFeatures(),
                data.testLabels(), data.numClasses(), data.imageShape());
    }
}
