package dev.topiary.nn.train;

import dev.topiary.surgery.graph.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Loss and accuracy of a network on rows it does not train on, in chunks so a large split never
 * needs one huge activation array.
 *
 * @param loss mean loss of the output layer over the rows, without the weight-decay penalty
 * @param accuracy share of rows whose highest output is the label's class
 */
record HeldOutScore(double loss, double accuracy) {
    private static final int CHUNK = 2048;

    static HeldOutScore of(Network net, INDArray features, INDArray labels) {
        long rows = features.size(0);
        double lossSum = 0;
        long correct = 0;
        for (long from = 0; from < rows; from += CHUNK) {
            long to = Math.min(rows, from + CHUNK);
            INDArray x = rows(features, from, to, net.dataType());
            INDArray y = rows(labels, from, to, net.dataType());
            lossSum += net.rowLosses(x, y).sumNumber().doubleValue();
            correct += correct(net.output(x), y);
        }
        return new HeldOutScore(lossSum / rows, (double) correct / rows);
    }

    /** Accuracy alone: one forward pass per chunk. */
    static double accuracy(Network net, INDArray features, INDArray labels) {
        long rows = features.size(0);
        long correct = 0;
        for (long from = 0; from < rows; from += CHUNK) {
            long to = Math.min(rows, from + CHUNK);
            correct += correct(net.output(rows(features, from, to, net.dataType())), rows(labels, from, to, net.dataType()));
        }
        return (double) correct / rows;
    }

    private static long correct(INDArray output, INDArray labels) {
        return output.argMax(1).eq(labels.argMax(1)).castTo(DataType.INT64).sumNumber().longValue();
    }

    private static INDArray rows(INDArray all, long from, long to, DataType type) {
        INDArray slice = all.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        return slice.dataType() == type ? slice : slice.castTo(type);
    }
}
