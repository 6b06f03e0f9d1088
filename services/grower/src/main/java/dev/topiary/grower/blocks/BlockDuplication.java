package dev.topiary.grower.blocks;

import dev.topiary.surgery.UnsupportedModelException;
import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.edit.Edits.NamedLayer;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.ResidualBlock;
import dev.topiary.surgery.layers.LayerRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Depth up-scaling (SOLAR, Kim et al. 2024; mergekit's passthrough): a range of residual blocks is
 * repeated, weights and all, right after its last block, so the copies see what the originals
 * output. Not exact: each copy adds its branch a second time. Blocks are counted from 1 in the
 * order {@link ResidualBlock#find} gives; each must have an identity skip and a branch of layers
 * only; an activation layer that alone reads a block's add is repeated with it. Copies are named
 * {@code <layer>_copy<i>}.
 */
public final class BlockDuplication {
    private BlockDuplication() {
    }

    /** Repeats blocks {@code from..to} (1-based, inclusive) once, after block {@code to}. */
    public static BlockExpansion.Result repeat(Network network, InputShape shape, int from, int to) {
        if (!network.isGraph()) {
            throw new UnsupportedModelException("grow: duplicate needs a ComputationGraph with residual blocks");
        }
        NetworkView view = NetworkView.of(network, LayerRegistry.standard(), "grow");
        List<ResidualBlock> blocks = ResidualBlock.find(view);
        if (to > blocks.size()) {
            throw new IllegalArgumentException("grow: the network has " + blocks.size() + " residual blocks; cannot repeat "
                    + from + ".." + to);
        }
        String suffix = "_copy" + freeCopy(view);
        Network current = network;
        String position = BlockExpansion.end(view, blocks.get(to - 1).add());
        List<String> added = new ArrayList<>();
        for (ResidualBlock b : blocks.subList(from - 1, to)) {
            if (!b.identitySkip()) {
                throw new UnsupportedModelException("grow: block '" + b.add() + "' has a projection on its skip; "
                        + "duplicate repeats identity-skip blocks only");
            }
            List<NamedLayer> branch = new ArrayList<>();
            for (String n : b.branch()) {
                if (view.node(n).layer() == null) {
                    throw new UnsupportedModelException("grow: block '" + b.add() + "' has vertex '" + n
                            + "' in its branch; duplicate repeats branches of layers only");
                }
                branch.add(new NamedLayer(n + suffix, view.node(n).layer().clone()));
            }
            current = Edits.of(current, shape).insertResidualBlock(position, branch, b.add() + suffix, false);
            for (String n : b.branch()) {
                copyParams(network, n, current, n + suffix);
                added.add(n + suffix);
            }
            added.add(b.add() + suffix);
            position = b.add() + suffix;
            String end = BlockExpansion.end(view, b.add());
            if (!end.equals(b.add())) {
                Layer activation = view.node(end).layer().clone();
                current = Edits.of(current, shape).insertAfter(position, end + suffix, activation, null);
                added.add(end + suffix);
                position = end + suffix;
            }
        }
        return new BlockExpansion.Result(current, added);
    }

    private static void copyParams(Network from, String layer, Network to, String copy) {
        Map<String, INDArray> target = to.params(copy);
        from.params(layer).forEach((k, v) -> target.get(k).assign(v));
    }

    private static int freeCopy(NetworkView view) {
        for (int i = 1; ; i++) {
            String s = "_copy" + i;
            if (view.nodes().stream().noneMatch(n -> n.name().endsWith(s))) {
                return i;
            }
        }
    }
}
