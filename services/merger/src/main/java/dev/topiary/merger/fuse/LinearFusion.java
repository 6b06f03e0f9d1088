package dev.topiary.merger.fuse;

import dev.topiary.surgery.graph.Blueprint;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fuses a Dense layer with an identity activation into the Dense or Output layer reading it: with
 * DL4J's {@code y = xW + b}, the pair computes {@code x(W₁W₂) + (b₁W₂ + b₂)}, one layer with the
 * second's name, activation and loss. A pair fuses only when the first is read by nothing else and
 * the second reads nothing else, and only when the product has no more parameters than the pair
 * ({@code nIn·nOut + nOut ≤ nIn·k + k + k·nOut + nOut} for a bottleneck of {@code k}): a wide
 * product of two thin factors would make the network bigger and slower, so it is refused with the
 * counts. Arithmetic is in double.
 */
public final class LinearFusion {
    private LinearFusion() {}

    /** A linear layer and the layer it fuses into, with both parameter counts. */
    public record Pair(String first, String second, long pairParams, long fusedParams) {
        public boolean worthIt() {
            return fusedParams <= pairParams;
        }

        public String refusal() {
            return "fusing '" + first + "' into '" + second + "' would make " + fusedParams + " parameters of "
                    + pairParams;
        }
    }

    /** Every adjacent linear pair of {@code net}, whether it is worth fusing or not. */
    public static List<Pair> find(Network net) {
        NetworkView view = NetworkView.describing(net.model());
        List<Pair> pairs = new ArrayList<>();
        for (Node n : view.nodes()) {
            if (n.isInput() || n.config().getClass() != DenseLayer.class) {
                continue;
            }
            DenseLayer first = (DenseLayer) n.config();
            List<String> readers = view.consumersOf(n.name());
            if (!(first.getActivationFn() instanceof ActivationIdentity) || first.hasLayerNorm() || readers.size() != 1
                    || n.name().equals(view.output())) {
                continue;
            }
            Node next = view.node(readers.get(0));
            if (!(next.config().getClass() == DenseLayer.class || next.config().getClass() == OutputLayer.class)
                    || next.inputs().size() != 1 || next.preProcessor() != null
                    || next.config() instanceof DenseLayer d && d.hasLayerNorm()) {
                continue;
            }
            FeedForwardLayer second = (FeedForwardLayer) next.config();
            long in = first.getNIn();
            long k = first.getNOut();
            long out = second.getNOut();
            pairs.add(new Pair(n.name(), next.name(), in * k + k + k * out + out, in * out + out));
        }
        return pairs;
    }

    /** {@code net} with the first pair worth fusing fused, or empty when none is. */
    public static Optional<Network> fuseOne(Network net) {
        Optional<Pair> pair = find(net).stream().filter(Pair::worthIt).findFirst();
        return pair.map(p -> fuse(net, p));
    }

    private static Network fuse(Network net, Pair pair) {
        Blueprint b = net.blueprint();
        Blueprint.Entry first = b.entry(pair.first());
        Blueprint.Entry second = b.entry(pair.second());
        Map<String, INDArray> p1 = net.params(pair.first());
        Map<String, INDArray> p2 = net.params(pair.second());
        INDArray w1 = p1.get("W").castTo(DataType.DOUBLE);
        INDArray w2 = p2.get("W").castTo(DataType.DOUBLE);
        long k = w1.size(1);
        long out = w2.size(1);
        INDArray b1 = p1.containsKey("b") ? p1.get("b").castTo(DataType.DOUBLE).reshape(1, k) : w1.getRow(0).reshape(1, k).mul(0);
        INDArray b2 = p2.containsKey("b") ? p2.get("b").castTo(DataType.DOUBLE).reshape(1, out) : w2.getRow(0).reshape(1, out).mul(0);
        DataType type = p2.get("W").dataType();
        Map<String, INDArray> fused = new LinkedHashMap<>();
        fused.put("W", w1.mmul(w2).castTo(type));
        fused.put("b", b1.mmul(w2).addi(b2).castTo(type));
        FeedForwardLayer layer = (FeedForwardLayer) second.layer();
        layer.setNIn(((FeedForwardLayer) first.layer()).getNIn());
        if (layer instanceof DenseLayer d) {
            d.setHasBias(true);
        } else {
            ((OutputLayer) layer).setHasBias(true);
        }
        second.setInputs(first.inputs());
        second.setPreProcessor(first.preProcessor());
        second.setParams(fused);
        b.remove(pair.first());
        return b.build(FusedParams.FILL);
    }
}
