package dev.topiary.merger.combine;

import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether networks can be merged parameter by parameter: the same nodes in the same order, of the
 * same types, reading the same inputs, with parameters of the same shapes. The first difference is
 * refused naming the layer, e.g. {@code model v-2 differs from v-1 at layer 'dense2': W has shape
 * [300, 50], not [300, 100]}.
 */
public final class SameArchitecture {
    private SameArchitecture() {}

    public static void check(List<Network> nets, List<String> ids) {
        NetworkView first = NetworkView.describing(nets.get(0).model());
        for (int m = 1; m < nets.size(); m++) {
            NetworkView other = NetworkView.describing(nets.get(m).model());
            String who = "model " + ids.get(m) + " differs from " + ids.get(0);
            List<Node> a = first.nodes();
            List<Node> b = other.nodes();
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                if (i >= a.size() || i >= b.size()) {
                    String extra = (i >= a.size() ? b : a).get(i).name();
                    throw new IllegalArgumentException(who + " at layer '" + extra + "': only one of them has it ("
                            + a.size() + " against " + b.size() + " nodes)");
                }
                Node x = a.get(i);
                Node y = b.get(i);
                String at = who + " at layer '" + x.name() + "': ";
                if (!x.name().equals(y.name())) {
                    throw new IllegalArgumentException(at + "the other has '" + y.name() + "' there");
                }
                if (!x.typeName().equals(y.typeName())) {
                    throw new IllegalArgumentException(at + "type " + y.typeName() + ", not " + x.typeName());
                }
                if (!x.inputs().equals(y.inputs())) {
                    throw new IllegalArgumentException(at + "reads " + y.inputs() + ", not " + x.inputs());
                }
                if (x.isInput()) {
                    continue;
                }
                Map<String, INDArray> px = first.params(x);
                Map<String, INDArray> py = other.params(y);
                if (!px.keySet().equals(py.keySet())) {
                    throw new IllegalArgumentException(at + "parameters " + py.keySet() + ", not " + px.keySet());
                }
                for (String p : px.keySet()) {
                    if (!Arrays.equals(px.get(p).shape(), py.get(p).shape())) {
                        throw new IllegalArgumentException(at + p + " has shape " + Arrays.toString(py.get(p).shape())
                                + ", not " + Arrays.toString(px.get(p).shape()));
                    }
                }
            }
        }
    }
}
