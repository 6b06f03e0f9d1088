package dev.topiary.merger.fuse;

import dev.topiary.surgery.graph.Blueprint;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Folds each BatchNormalization into the Dense or Convolution layer before it, as PyTorch's
 * {@code fuse_conv_bn_eval} does: with {@code s = γ/√(σ²+ε)}, {@code W′ = s·W} (per output
 * channel) and {@code b′ = β + s·(b − μ)}, and the normalisation is gone (DL4J's
 * BatchNormalization never applies the activation its configuration names, so neither does the
 * folded layer). Inference computes the same function (to float rounding): the
 * running statistics become constants. A pair folds only when the producer's activation is the
 * identity (the normalisation sees its raw output), nothing else reads the producer, and the
 * normalisation has no preprocessor in front of it. Arithmetic is in double, so the only error is
 * the final rounding to the network's data type.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /** A producer and the normalisation folded into it. */
    public record Pair(String producer, String norm) {}

    /** The pairs of {@code net} that fold; why others do not is not an error. */
    public static List<Pair> find(Network net) {
        NetworkView view = NetworkView.describing(net.model());
        List<Pair> pairs = new ArrayList<>();
        for (Node n : view.nodes()) {
            if (n.isInput() || !(n.config() instanceof BatchNormalization) || n.preProcessor() != null
                    || n.inputs().size() != 1 || view.node(n.input()).isInput()) {
                continue;
            }
            Node p = view.node(n.input());
            boolean producer = p.config() instanceof ConvolutionLayer || p.config().getClass() == DenseLayer.class;
            if (producer && ((FeedForwardLayer) p.config()).getActivationFn() instanceof ActivationIdentity
                    && view.consumersOf(p.name()).equals(List.of(n.name())) && !p.name().equals(view.output())) {
                pairs.add(new Pair(p.name(), n.name()));
            }
        }
        return pairs;
    }

    /** {@code net} with every pair of {@link #find} folded; the original is not changed. */
    public static Network fold(Network net, List<Pair> pairs) {
        Blueprint b = net.blueprint();
        for (Pair pair : pairs) {
            Blueprint.Entry producer = b.entry(pair.producer());
            BatchNormalization bn = (BatchNormalization) b.entry(pair.norm()).layer();
            Map<String, INDArray> folded = folded(net.params(pair.producer()), net.params(pair.norm()), bn,
                    producer.layer() instanceof ConvolutionLayer);
            FeedForwardLayer layer = (FeedForwardLayer) producer.layer();
            if (layer instanceof ConvolutionLayer conv) {
                conv.setHasBias(true);
            } else {
                ((DenseLayer) layer).setHasBias(true);
            }
            producer.setParams(folded);
            b.rewire(pair.norm(), pair.producer());
            b.remove(pair.norm());
        }
        return b.build(FusedParams.FILL);
    }

    private static Map<String, INDArray> folded(Map<String, INDArray> layer, Map<String, INDArray> norm,
            BatchNormalization bn, boolean conv) {
        INDArray w = layer.get("W").castTo(DataType.DOUBLE);
        long channels = conv ? w.size(0) : w.size(1);
        INDArray bias = layer.containsKey("b") ? layer.get("b").castTo(DataType.DOUBLE).reshape(channels)
                : Nd4j.zeros(DataType.DOUBLE, channels);
        INDArray gamma = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {channels}, bn.getGamma(), DataType.DOUBLE)
                : norm.get("gamma").castTo(DataType.DOUBLE).reshape(channels);
        INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {channels}, bn.getBeta(), DataType.DOUBLE)
                : norm.get("beta").castTo(DataType.DOUBLE).reshape(channels);
        INDArray mean = norm.get("mean").castTo(DataType.DOUBLE).reshape(channels);
        INDArray variance;
        if (bn.isUseLogStd()) { // DL4J keeps log10 of the standard deviation: σ² = (10^s)²
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(new long[] {channels}, 10.0, DataType.DOUBLE),
                    norm.get("log10stdev").castTo(DataType.DOUBLE).reshape(channels));
            variance = std.mul(std);
        } else {
            variance = norm.get("var").castTo(DataType.DOUBLE).reshape(channels);
        }
        INDArray scale = gamma.div(Transforms.sqrt(variance.add(bn.getEps())));
        INDArray w2 = conv
                ? w.mul(scale.reshape(channels, 1, 1, 1).broadcast(w.shape()))
                : w.mulRowVector(scale.reshape(1, channels));
        INDArray b2 = beta.add(scale.mul(bias.sub(mean)));
        DataType type = layer.get("W").dataType();
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put("W", w2.castTo(type));
        out.put("b", b2.reshape(1, channels).castTo(type));
        return out;
    }
}
