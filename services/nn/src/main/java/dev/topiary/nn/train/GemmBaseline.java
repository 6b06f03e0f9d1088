package dev.topiary.nn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What this machine's ND4J reaches on one large float GEMM (2048 x 2048 x 2048, through ND4J's
 * own {@code Nd4j.gemm}, with ND4J's configured thread count): the yardstick a training
 * benchmark's FLOP rate is divided by, measured in the same process so machine and load are the
 * same. Large enough that it runs at OpenBLAS's peak rather than at its call overhead.
 */
final class GemmBaseline {
    static final int SIZE = 2048;

    private final INDArray a = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    private final INDArray b = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    private final INDArray c = Nd4j.create(DataType.FLOAT, new long[] {SIZE, SIZE}, 'f');
    private final List<Double> samples = new ArrayList<>();

    /** Runs {@code warmups} unrecorded products, then records {@code runs}. */
    GemmBaseline measure(int warmups, int runs) {
        for (int i = 0; i < warmups; i++) {
            once();
        }
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            once();
            samples.add(2.0 * SIZE * SIZE * SIZE / ((System.nanoTime() - t0) / 1e9));
        }
        return this;
    }

    private void once() {
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    /** Median FLOP/s of every recorded run (several calls to {@link #measure} pool their runs). */
    double medianFlops() {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
