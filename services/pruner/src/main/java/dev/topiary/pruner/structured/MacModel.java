package dev.topiary.pruner.structured;

import dev.topiary.pruner.graph.ChannelGroup;
import dev.topiary.pruner.graph.DependencyGraph;
import dev.topiary.pruner.graph.Node;
import dev.topiary.pruner.graph.NodeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/**
 * Multiply-accumulates per example as a function of group widths, so a MACs target can be met
 * before anything is rebuilt. Dense and Output layers cost {@code nIn * nOut}; a convolution costs
 * {@code outH * outW * kH * kW * inC * outC}; pooling, normalization and adds are not counted.
 */
public final class MacModel {
    private record Term(int inGroup, int block, int outGroup, long factor) {
    }

    private final List<Term> terms;
    private final int[] sizes;

    private MacModel(List<Term> terms, int[] sizes) {
        this.terms = terms;
        this.sizes = sizes;
    }

    /**
     * @param shapes every node's output shape for one example (from {@code ActivationProbe.shapes});
     *     needed only when the network has convolutions, may be null otherwise
     */
    public static MacModel of(DependencyGraph graph, Map<String, long[]> shapes) {
        List<Term> terms = new ArrayList<>();
        for (Node n : graph.view().nodes()) {
            if (!n.kind().producer()) {
                continue;
            }
            int in = graph.groupOf(n.input()).id();
            int out = graph.groupOf(n.name()).id();
            int block = graph.groups().get(in).consumers().stream().filter(c -> c.node().equals(n.name()))
                    .findFirst().orElseThrow().block();
            long factor = 1;
            if (n.kind() == NodeKind.CONVOLUTION) {
                if (shapes == null || shapes.get(n.name()) == null) {
                    throw new IllegalArgumentException("counting MACs of convolution '" + n.name()
                            + "' needs an example input to find its output size");
                }
                long[] s = shapes.get(n.name());
                int[] k = ((ConvolutionLayer) n.layer()).getKernelSize();
                factor = s[2] * s[3] * k[0] * k[1];
            }
            terms.add(new Term(in, block, out, factor));
        }
        int[] sizes = graph.groups().stream().mapToInt(ChannelGroup::size).toArray();
        return new MacModel(List.copyOf(terms), sizes);
    }

    /** MACs of the network as it is. */
    public long macs() {
        return macs(sizes);
    }

    /** MACs if each group {@code g} had {@code widths[g]} channels. */
    public long macs(int[] widths) {
        long total = 0;
        for (Term t : terms) {
            total += t.factor * (long) widths[t.inGroup] * t.block * widths[t.outGroup];
        }
        return total;
    }

}
