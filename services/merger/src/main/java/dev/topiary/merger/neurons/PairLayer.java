package dev.topiary.merger.neurons;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One hidden Dense layer being merged pair by pair in place ({@link Compensation.Pairs}): which of
 * its units are still alive, its pairs' costs read from the live parameters, and the merge of a
 * pair (the survivor's incoming weights and bias, its consumers' rows). Units merged away keep
 * their rows until the index map removes them.
 */
final class PairLayer {
    private final DependencyGraph graph;
    private final ChannelGroup group;
    private final String producer;
    private final boolean homogeneous;
    private final boolean[] alive;

    PairLayer(DependencyGraph graph, ChannelGroup group) {
        this.graph = graph;
        this.group = group;
        this.producer = group.producers().get(0);
        DenseLayer conf = (DenseLayer) graph.view().node(producer).config();
        this.homogeneous = conf.getActivationFn() instanceof ActivationReLU || conf.getActivationFn() instanceof ActivationIdentity;
        this.alive = new boolean[group.size()];
        Arrays.fill(alive, true);
    }

    int aliveCount() {
        return (int) IntStream.range(0, alive.length).filter(k -> alive[k]).count();
    }

    int[] kept() {
        return IntStream.range(0, alive.length).filter(k -> alive[k]).toArray();
    }

    /** The cheapest merge among alive pairs whose incoming weights have at least {@code similarity} cosine; null if none. */
    PairMerge cheapestPair(double similarity) {
        INDArray in = incoming();
        double[][] gram = in.mmul(in.transpose()).toDoubleMatrix();
        double[] out = outgoingNorms();
        PairMerge best = null;
        for (int i = 0; i < alive.length; i++) {
            if (!alive[i] || gram[i][i] == 0) {
                continue;
            }
            for (int j = 0; j < alive.length; j++) {
                if (j == i || !alive[j]) {
                    continue;
                }
                double cos = gram[i][j] / Math.sqrt(gram[i][i] * Math.max(gram[j][j], 1e-30));
                if (cos < similarity) {
                    continue;
                }
                PairMerge pair = PairMerge.of(i, j, gram[i][j], gram[i][i], gram[j][j], out[i], out[j], homogeneous);
                if (best == null || pair.cost() < best.cost()) {
                    best = pair;
                }
            }
        }
        return best;
    }

    /** Merges j into i: i's incoming weights and bias become the pair's weighted mean, its outgoing rows gain c times j's. */
    void apply(PairMerge pair) {
        Map<String, INDArray> p = graph.view().network().params(producer); // live
        INDArray w = p.get("W");
        INDArray colI = w.get(NDArrayIndex.all(), NDArrayIndex.point(pair.i()));
        colI.assign(colI.mul(pair.weightI()).addi(w.get(NDArrayIndex.all(), NDArrayIndex.point(pair.j())).mul(pair.weightJ())));
        INDArray b = p.get("b");
        if (b != null) {
            b.putScalar(pair.i(), pair.weightI() * b.getDouble(pair.i()) + pair.weightJ() * b.getDouble(pair.j()));
        }
        for (Consumer consumer : group.consumers()) {
            INDArray reads = graph.view().network().params(consumer.node()).get("W"); // [inputs, outputs], live
            INDArray rowI = reads.get(NDArrayIndex.point(consumer.offset() + pair.i()), NDArrayIndex.all());
            INDArray rowJ = reads.get(NDArrayIndex.point(consumer.offset() + pair.j()), NDArrayIndex.all());
            rowI.addi(rowJ.mul(pair.c()));
        }
        alive[pair.j()] = false;
    }

    /** [units, inputs (+ 1 for the bias)] in double. */
    private INDArray incoming() {
        Map<String, INDArray> p = graph.view().network().params(producer);
        INDArray in = p.get("W").castTo(DataType.DOUBLE).transpose();
        if (p.containsKey("b")) {
            in = Nd4j.hstack(in, p.get("b").castTo(DataType.DOUBLE).reshape(group.size(), 1));
        }
        return in;
    }

    /** ‖a_j‖² for every unit: the squares of its outgoing weights over every consumer. */
    private double[] outgoingNorms() {
        double[] out = new double[group.size()];
        Network net = graph.view().network();
        for (Consumer consumer : group.consumers()) {
            ParamAxes axes = graph.view().node(consumer.node()).rules().axes("W");
            INDArray w = net.params(consumer.node()).get("W").castTo(DataType.DOUBLE);
            if (axes == null || ParamAxes.resolve(axes.inAxis(), w.rank()) != 0) {
                throw new IllegalStateException("layer '" + consumer.node() + "' does not keep its inputs on axis 0");
            }
            INDArray rows = w.get(NDArrayIndex.interval(consumer.offset(), consumer.offset() + group.size()), NDArrayIndex.all());
            double[] sums = rows.mul(rows).sum(1).toDoubleVector();
            for (int k = 0; k < out.length; k++) {
                out[k] += sums[k];
            }
        }
        return out;
    }
}
