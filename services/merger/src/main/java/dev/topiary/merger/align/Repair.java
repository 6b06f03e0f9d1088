package dev.topiary.merger.align;

import dev.topiary.surgery.graph.Blueprint;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * REPAIR (Jordan et al. 2023): averaging two aligned networks shrinks the spread of each hidden
 * channel's pre-activation (the "variance collapse" that makes the interpolation barrier), so each
 * hidden Dense and Convolution layer of the merged network gets a per-channel affine correction,
 * folded into its weights and bias, that gives its pre-activations on a sample of training rows the
 * mean and standard deviation of the endpoints' (their average). A convolution's channel
 * statistics are taken over the examples and every position, as in the paper. Layers are
 * corrected in order, each on the outputs of the layers already corrected. The classes are not
 * corrected; the count says how many layers were.
 */
public final class Repair {
    private static final double FLOOR = 1e-8;

    private Repair() {}

    /** Corrects {@code merged} in place; returns how many layers it corrected. */
    public static int repair(Network merged, List<Network> endpoints, INDArray sample) {
        List<String> layers = repairable(merged);
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(merged.model(), "merge"));
        for (String layer : layers) {
            INDArray targetMean = null;
            INDArray targetStd = null;
            for (Network endpoint : endpoints) {
                INDArray z = preActivations(endpoint, layer, sample);
                targetMean = targetMean == null ? mean(z) : targetMean.addi(mean(z));
                targetStd = targetStd == null ? std(z) : targetStd.addi(std(z));
            }
            targetMean.divi(endpoints.size());
            targetStd.divi(endpoints.size());
            INDArray z = preActivations(merged, layer, sample);
            INDArray mean = mean(z);
            INDArray scale = targetStd.div(Transforms.max(std(z), FLOOR));
            Map<String, INDArray> p = merged.params(layer);
            INDArray w = p.get("W");
            int out = ParamAxes.resolve(graph.view().node(layer).rules().axes("W").outAxis(), w.rank());
            w.assign(w.castTo(DataType.DOUBLE).mul(perChannel(scale, w.rank(), out)).castTo(w.dataType()));
            INDArray b = p.get("b");
            INDArray shifted = b.castTo(DataType.DOUBLE).reshape(scale.length()).sub(mean).mul(scale).add(targetMean);
            b.assign(shifted.reshape(b.shape()).castTo(b.dataType()));
        }
        return layers.size();
    }

    /**
     * Hidden Dense and Convolution layers (those classes exactly) with a bias, whose channels may
     * move (not the classes), in order.
     */
    static List<String> repairable(Network net) {
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(net.model(), "merge"));
        List<String> out = new ArrayList<>();
        for (Node n : graph.view().nodes()) {
            if (n.isInput()) {
                continue;
            }
            boolean dense = n.config().getClass() == DenseLayer.class && ((DenseLayer) n.config()).hasBias()
                    && !((DenseLayer) n.config()).hasLayerNorm();
            boolean conv = n.config().getClass() == ConvolutionLayer.class && ((ConvolutionLayer) n.config()).hasBias();
            if (dense || conv) {
                ChannelGroup g = graph.groupOf(n.name());
                if (g.prunable()) {
                    out.add(n.name());
                }
            }
        }
        return out;
    }

    /**
     * The layer's outputs before its activation, {@code [examples, channels]} or
     * {@code [examples, channels, h, w]}: its outputs when its activation is the identity (a
     * convolution before BatchNormalization), else the outputs of a copy whose layer has none.
     */
    public static INDArray preActivations(Network net, String layer, INDArray sample) {
        Network linear = net;
        BaseLayer conf = (BaseLayer) NetworkView.describing(net.model()).node(layer).config();
        if (!(conf.getActivationFn() instanceof ActivationIdentity)) {
            Blueprint b = net.blueprint();
            ((BaseLayer) b.entry(layer).layer()).setActivationFn(new ActivationIdentity());
            linear = b.build(Blueprint.ParamFill.COPY);
        }
        return linear.activations(sample).get(layer).castTo(DataType.DOUBLE);
    }

    /** Per channel (axis 1), over the examples and every position. */
    private static INDArray mean(INDArray z) {
        return z.rank() == 2 ? z.mean(0) : z.mean(0, 2, 3);
    }

    private static INDArray std(INDArray z) {
        return z.rank() == 2 ? z.std(false, 0) : z.std(false, 0, 2, 3);
    }

    /** {@code values} (one per channel) shaped to broadcast along {@code axis} of an array of {@code rank}. */
    private static INDArray perChannel(INDArray values, int rank, int axis) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[axis] = values.length();
        return values.reshape(shape);
    }
}
