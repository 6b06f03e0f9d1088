package dev.topiary.nn.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One-hot label rows built in one heap array and copied off-heap once, as every loader needs. */
final class OneHot {

    private OneHot() {}

    static INDArray encode(int[] labels, int numClasses) {
        float[] data = new float[Math.multiplyExact(labels.length, numClasses)];
        for (int i = 0; i < labels.length; i++) {
            data[i * numClasses + labels[i]] = 1f;
        }
        return Nd4j.create(data, new long[] {labels.length, numClasses}, DataType.FLOAT);
    }
}
