package dev.topiary.cutter;

import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.ResidualBlock;
import dev.topiary.surgery.layers.LayerRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Builds the network that results from cutting some units out of the original, through surgery's
 * {@link Edits}: a block goes with its add, its identity skip stays; a layer goes and its readers
 * read its input. With a bridge, the units form one run, replaced by a {@link LinearBridge} fitted
 * on the original network's activations at the run's two ends. The original is never changed.
 */
final class CutEditor {
    private static final long ACTIVATION_CHUNK = 512;
    private final Network original;
    private final InputShape shape;
    private final CutSpec spec;
    private final INDArray bridgeRows;
    /** The original's activations on the bridge rows at the run ends asked for so far: each run scored refits. */
    private final Map<String, INDArray> ends = new HashMap<>();

    /** The network a cut made, and the parameters of its bridge (0 without one). */
    record Cut(Network network, long bridgeParams) {
    }

    /**
     * @param bridgeRows training rows shaped for the network, to fit bridges on (not the holdout,
     *     which judges the cut); null without a bridge
     */
    CutEditor(Network original, InputShape shape, CutSpec spec, INDArray bridgeRows) {
        this.original = original;
        this.shape = shape;
        this.spec = spec;
        this.bridgeRows = bridgeRows;
    }

    /** The original without {@code units} (bridged when the spec says so). */
    Cut cut(List<CutUnit> units) {
        List<CutUnit> sorted = sorted(units);
        if (!spec.bridge()) {
            return new Cut(removeAll(original, sorted), 0);
        }
        CutUnit first = sorted.get(0);
        CutUnit last = sorted.get(sorted.size() - 1);
        LinearBridge bridge = LinearBridge.fit(activation(first.from()), activation(last.to()), spec.bridgeRidge(),
                spec.bridgeRank());
        List<LinearBridge.Bridged> layers = bridge.layers("bridge_" + first.name() + (sorted.size() > 1 ? "_" + last.name() : ""));
        List<Edits.NamedLayer> chain = layers.stream().map(l -> new Edits.NamedLayer(l.name(), l.layer())).toList();
        List<Map<String, INDArray>> params = layers.stream().map(LinearBridge.Bridged::params).toList();
        Network net = first.kind() == CutUnit.Kind.BLOCK
                ? Edits.of(removeAll(original, sorted), shape).insertAfter(first.from(), chain, params)
                : Edits.of(original, shape).replace(between(first.from(), last.to()), chain, params);
        return new Cut(net, bridge.params());
    }

    /**
     * The original's activation at {@code node} on the bridge rows, computed in chunks so a few
     * thousand rows of feature maps need not hold every layer's activations at once.
     */
    private INDArray activation(String node) {
        INDArray known = ends.get(node);
        if (known != null) {
            return known;
        }
        List<INDArray> parts = new ArrayList<>();
        long n = bridgeRows.size(0);
        for (long start = 0; start < n; start += ACTIVATION_CHUNK) {
            INDArrayIndex[] chunk = new INDArrayIndex[bridgeRows.rank()];
            chunk[0] = NDArrayIndex.interval(start, Math.min(n, start + ACTIVATION_CHUNK));
            Arrays.fill(chunk, 1, chunk.length, NDArrayIndex.all());
            INDArray rows = bridgeRows.get(chunk);
            parts.add(original.activations(rows).get(node).dup());
        }
        INDArray all = Nd4j.concat(0, parts.toArray(INDArray[]::new));
        ends.put(node, all);
        return all;
    }

    private Network removeAll(Network net, List<CutUnit> units) {
        for (CutUnit u : units) {
            Edits edits = Edits.of(net, shape);
            if (u.kind() == CutUnit.Kind.BLOCK) {
                // found again in the edited network: an earlier cut may have renamed what the skip reads
                NetworkView view = NetworkView.of(net, LayerRegistry.standard(), "cut");
                ResidualBlock b = ResidualBlock.find(view).stream().filter(r -> r.add().equals(u.to())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("cut: block '" + u.name() + "' is gone"));
                net = edits.removeKeeping(b.add(), b.skip());
            } else {
                net = edits.remove(u.to());
            }
        }
        return net;
    }

    /** The nodes after {@code from} up to and including {@code to}, in the original's topological order. */
    private List<String> between(String from, String to) {
        List<String> names = NetworkView.of(original, LayerRegistry.standard(), "cut").nodes().stream().map(Node::name).toList();
        return new ArrayList<>(names.subList(names.indexOf(from) + 1, names.indexOf(to) + 1));
    }

    private List<CutUnit> sorted(List<CutUnit> units) {
        if (units.isEmpty()) {
            throw new IllegalArgumentException("cut: no units given");
        }
        List<String> order = NetworkView.of(original, LayerRegistry.standard(), "cut").nodes().stream().map(Node::name).toList();
        List<CutUnit> s = new ArrayList<>(units);
        s.sort(Comparator.comparingInt(u -> order.indexOf(u.to())));
        return s;
    }
}
