package dev.topiary.surgery.macs;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.NodeShape;
import dev.topiary.surgery.graph.Segment;
import dev.topiary.surgery.layers.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multiply-accumulates per example, computed from layer shapes rather than timed, so a smaller model
 * is visibly cheaper on any machine: the one counter behind the {@code macs} metric and behind width
 * planning (a MAC budget met before anything is rebuilt). Each layer type's formula is its rules'
 * {@code macs} ({@code nIn * nOut} for Dense and Output, {@code outH * outW * kH * kW * inC * outC}
 * for a convolution; biases, BatchNormalization (folded into the layer before it at inference),
 * pooling, activations, dropout and vertices count 0). Spatial sizes come from the activation types
 * for the given input type.
 *
 * <p>{@link #count} describes any network: a layer type with no registered rules counts one MAC
 * per parameter, as if each weight were used once, with a warning, so an unfamiliar layer is not
 * silently free. A pruned model whose weights are zero but still present has the same MACs as
 * before: that is why both MACs and non-zero parameters are reported.
 *
 * <pre>{@code
 * long macs = MacCounter.count(model, InputType.feedForward(784));     // for metrics
 * MacCounter planner = MacCounter.of(graph, input);                     // for planning widths
 * long ifNarrower = planner.macs(widthsPerGroup);
 * }</pre>
 */
public final class MacCounter {
    private static final Logger log = LoggerFactory.getLogger(MacCounter.class);
    private static final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** One costing layer: its input segments, its output group, and its activation shape. */
    private record Term(Node node, NodeShape shape, List<Segment> in, int out) {
    }

    private final List<Term> terms;
    private final int[] sizes;

    private MacCounter(List<Term> terms, int[] sizes) {
        this.terms = terms;
        this.sizes = sizes;
    }

    /** MACs per example of {@code model} reading examples of type {@code input}, any layer types allowed. */
    public static long count(Model model, InputType input) {
        NetworkView view = NetworkView.describing(model);
        Map<String, NodeShape> shapes = view.shapes(input);
        long total = 0;
        for (Node n : view.nodes()) {
            if (n.isInput()) {
                continue;
            }
            if (n.rules().channels() == Channels.OPAQUE) {
                total += unregistered(view, n);
            } else if (n.rules().channels() == Channels.PRODUCER) {
                NodeShape s = shapes.get(n.name());
                total += n.rules().macs(n.config(), s.input(), s.output(), n.rules().inputRows(n.config()),
                        n.rules().outputChannels(n.config()));
            } else {
                NodeShape s = shapes.get(n.name());
                long c = NodeShape.channels(s.output());
                total += n.rules().macs(n.config(), s.input(), s.output(), c, c);
            }
        }
        return total;
    }

    private static long unregistered(NetworkView view, Node n) {
        INDArray params = n.layer() == null ? null : view.network().layerParams(n.name());
        if (params == null) {
            return 0;
        }
        if (warned.add(n.config().getClass().getName())) {
            log.warn("No MAC formula for {} (layer '{}'): counting one MAC per parameter", n.typeName(), n.name());
        }
        return params.length();
    }

    /** A counter of {@code graph}'s network as a function of its groups' widths. */
    public static MacCounter of(DependencyGraph graph, InputType input) {
        Map<String, NodeShape> shapes = graph.view().shapes(input);
        List<Term> terms = new ArrayList<>();
        for (Node n : graph.view().nodes()) {
            if (!n.isInput() && n.rules().channels() == Channels.PRODUCER) {
                terms.add(new Term(n, shapes.get(n.name()), graph.inputLayout(n.name()), graph.groupOf(n.name()).id()));
            }
        }
        int[] sizes = graph.groups().stream().mapToInt(ChannelGroup::size).toArray();
        return new MacCounter(List.copyOf(terms), sizes);
    }

    /** MACs of the network as it is. */
    public long macs() {
        return macs(sizes);
    }

    /** MACs if each group {@code g} had {@code widths[g]} channels. */
    public long macs(int[] widths) {
        long total = 0;
        for (Term t : terms) {
            long rows = 0;
            for (Segment s : t.in) {
                rows += (long) widths[s.group()] * s.block();
            }
            total += t.node.rules().macs(t.node.config(), t.shape.input(), t.shape.output(), rows, widths[t.out]);
        }
        return total;
    }
}
