package dev.topiary.merger.align;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * REPAIR (Jordan et al. 2023): averaging two aligned networks shrinks the spread of each hidden
 * unit's pre-activation (the "variance collapse" that makes the interpolation barrier), so each
 * hidden Dense layer of the merged network gets a per-unit affine correction, folded into its
 * weights and bias, that gives its pre-activations on a sample of training rows the mean and
 * standard deviation of the endpoints' (their average). Layers are corrected in order, each on the
 * outputs of the layers already corrected. Only hidden Dense layers are corrected (the classes are
 * not); the count says how many.
 */
public final class Repair {
    private static final double FLOOR = 1e-8;

    private Repair() {}

    /** Corrects {@code merged} in place; returns how many layers it corrected. */
    public static int repair(Network merged, List<Network> endpoints, INDArray sample) {
        List<String> layers = repairable(merged);
        List<Map<String, INDArray>> endpointActivations = new ArrayList<>();
        endpoints.forEach(e -> endpointActivations.add(e.activations(sample)));
        for (String layer : layers) {
            String input = NetworkView.describing(merged.model()).node(layer).input();
            INDArray targetMean = null;
            INDArray targetStd = null;
            for (int i = 0; i < endpoints.size(); i++) {
                INDArray z = preActivation(endpoints.get(i), layer, endpointActivations.get(i).get(input));
                INDArray mean = z.mean(0);
                INDArray std = z.std(false, 0);
                targetMean = targetMean == null ? mean : targetMean.addi(mean);
                targetStd = targetStd == null ? std : targetStd.addi(std);
            }
            targetMean.divi(endpoints.size());
            targetStd.divi(endpoints.size());
            INDArray z = preActivation(merged, layer, merged.activations(sample).get(input));
            INDArray mean = z.mean(0);
            INDArray scale = targetStd.div(Transforms.max(z.std(false, 0), FLOOR));
            Map<String, INDArray> p = merged.params(layer);
            INDArray w = p.get("W");
            INDArray b = p.get("b");
            long n = w.size(1);
            INDArray wd = w.castTo(DataType.DOUBLE).mulRowVector(scale.reshape(1, n));
            INDArray bd = b.castTo(DataType.DOUBLE).reshape(1, n).sub(mean.reshape(1, n)).mul(scale.reshape(1, n))
                    .add(targetMean.reshape(1, n));
            w.assign(wd.castTo(w.dataType()));
            b.assign(bd.reshape(b.shape()).castTo(b.dataType()));
        }
        return layers.size();
    }

    /** Hidden Dense layers with a bias and no preprocessor, whose units may move (not the classes), in order. */
    static List<String> repairable(Network net) {
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(net.model(), "merge"));
        List<String> out = new ArrayList<>();
        for (Node n : graph.view().nodes()) {
            if (!n.isInput() && n.config().getClass() == DenseLayer.class && n.preProcessor() == null
                    && ((DenseLayer) n.config()).hasBias() && !((DenseLayer) n.config()).hasLayerNorm()) {
                ChannelGroup g = graph.groupOf(n.name());
                if (g.prunable()) {
                    out.add(n.name());
                }
            }
        }
        return out;
    }

    private static INDArray preActivation(Network net, String layer, INDArray input) {
        Map<String, INDArray> p = net.params(layer);
        INDArray w = p.get("W").castTo(DataType.DOUBLE);
        return input.castTo(DataType.DOUBLE).mmul(w).addRowVector(p.get("b").castTo(DataType.DOUBLE).reshape(1, w.size(1)));
    }
}
