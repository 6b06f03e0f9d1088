package dev.topiary.pruner.structured;

import dev.topiary.pruner.graph.DependencyGraph;
import dev.topiary.pruner.graph.NetworkView;
import dev.topiary.pruner.graph.Node;
import dev.topiary.pruner.graph.NodeKind;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the physically smaller network a {@link ChannelPlan} describes: the configuration is
 * cloned with new {@code nIn}/{@code nOut} (and flattening channel counts), a fresh network is
 * initialised from it, and the surviving weights are copied in. The result is an ordinary
 * MultiLayerNetwork or ComputationGraph with the same layer names, so ModelSerializer saves and
 * loads it like any other; its updater state starts fresh.
 *
 * <p>Index rules, for surviving input channels {@code in} and output channels {@code out}:
 * Dense/Output {@code W[nIn, nOut]} keeps rows {@code in} (expanded to {@code c*H*W + k} blocks
 * behind a flattening) and columns {@code out}; Convolution {@code W[nOut, nIn, kH, kW]} keeps
 * {@code [out, in]}; biases and every BatchNormalization parameter keep {@code out}.
 */
public final class NetworkRebuilder {
    private NetworkRebuilder() {
    }

    public static Model rebuild(DependencyGraph graph, ChannelPlan plan) {
        NetworkView view = graph.view();
        Model rebuilt;
        if (view.model() instanceof MultiLayerNetwork net) {
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
            for (Node n : view.nodes()) {
                if (n.kind() != NodeKind.INPUT) {
                    resize(graph, plan, n, conf.getConf(n.index()).getLayer(), conf.getInputPreProcess(n.index()));
                }
            }
            MultiLayerNetwork smaller = new MultiLayerNetwork(conf);
            smaller.init();
            rebuilt = smaller;
        } else {
            ComputationGraphConfiguration conf = ((ComputationGraph) view.model()).getConfiguration().clone();
            for (Node n : view.nodes()) {
                if (n.layer() != null) {
                    LayerVertex v = (LayerVertex) conf.getVertices().get(n.name());
                    resize(graph, plan, n, v.getLayerConf().getLayer(), v.getPreProcessor());
                }
            }
            ComputationGraph smaller = new ComputationGraph(conf);
            smaller.init();
            rebuilt = smaller;
        }
        copyParams(graph, plan, NetworkView.of(rebuilt, "prune"));
        return rebuilt;
    }

    private static void resize(DependencyGraph graph, ChannelPlan plan, Node n, Layer layer, InputPreProcessor pre) {
        if (!(layer instanceof FeedForwardLayer ff)) {
            return; // Subsampling and Activation carry no widths
        }
        int in = plan.sizeOf(graph.groupOf(n.input()));
        int out = plan.sizeOf(graph.groupOf(n.name()));
        if (n.kind().producer()) {
            ff.setNIn((long) in * block(pre));
            ff.setNOut(out);
        } else if (ff.getNIn() > 0) {
            ff.setNIn(out);
            ff.setNOut(out);
        }
        if (pre instanceof CnnToFeedForwardPreProcessor flatten) {
            flatten.setNumChannels(in);
        }
    }

    private static int block(InputPreProcessor pre) {
        return pre instanceof CnnToFeedForwardPreProcessor c ? Math.toIntExact(c.getInputHeight() * c.getInputWidth()) : 1;
    }

    private static void copyParams(DependencyGraph graph, ChannelPlan plan, NetworkView target) {
        for (Node n : graph.view().nodes()) {
            if (n.layer() == null) {
                continue;
            }
            Map<String, INDArray> from = graph.view().params(n);
            Map<String, INDArray> to = target.params(target.node(n.name()));
            int[] out = plan.keptOf(graph.groupOf(n.name()).id());
            int[] in = n.input() == null ? null : plan.keptOf(graph.groupOf(n.input()).id());
            for (Map.Entry<String, INDArray> e : from.entrySet()) {
                INDArray p = e.getValue();
                if (e.getKey().equals("W") && n.kind() == NodeKind.CONVOLUTION) {
                    p = take(take(p, 0, out), 1, in);
                } else if (e.getKey().equals("W")) {
                    p = take(take(p, 0, expand(in, block(n.preProcessor()))), 1, out);
                } else {
                    p = take(p, p.rank() - 1, out); // biases and BatchNormalization: one entry per channel
                }
                INDArray dest = to.get(e.getKey());
                if (!java.util.Arrays.equals(dest.shape(), p.shape())) {
                    throw new IllegalStateException("rebuilt layer '" + n.name() + "' param " + e.getKey() + " has shape "
                            + java.util.Arrays.toString(dest.shape()) + ", pruned weights " + java.util.Arrays.toString(p.shape()));
                }
                dest.assign(p);
            }
        }
    }

    /** Channel indices to row indices when each channel owns {@code block} consecutive rows. */
    static int[] expand(int[] channels, int block) {
        if (channels == null || block == 1) {
            return channels;
        }
        int[] rows = new int[channels.length * block];
        for (int i = 0; i < channels.length; i++) {
            for (int k = 0; k < block; k++) {
                rows[i * block + k] = channels[i] * block + k;
            }
        }
        return rows;
    }

    /**
     * The entries {@code idx} of dimension {@code dim}, or {@code a} itself when {@code idx} is null.
     * Copied by hand: ND4J's point-index {@code get} fails on some 4-d parameter views.
     */
    static INDArray take(INDArray a, int dim, int[] idx) {
        if (idx == null) {
            return a;
        }
        long[] shape = a.shape();
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < dim; i++) {
            outer *= shape[i];
        }
        for (int i = dim + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        double[] src = a.dup('c').data().asDouble(); // exact for float and double weights
        double[] dst = new double[Math.toIntExact(outer * idx.length * inner)];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (int k : idx) {
                int from = Math.toIntExact((o * shape[dim] + k) * inner);
                System.arraycopy(src, from, dst, at, (int) inner);
                at += (int) inner;
            }
        }
        long[] newShape = shape.clone();
        newShape[dim] = idx.length;
        return Nd4j.create(dst, newShape, 'c').castTo(a.dataType());
    }
}
