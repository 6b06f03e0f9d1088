package dev.topiary.merger.layers;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.ResidualBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer collapse (LaCo, Yang et al. 2024) on residual blocks: a run of {@code count + 1}
 * consecutive identity-skip blocks whose branches have the same layers and parameter shapes
 * becomes its first block, each parameter of which gains the differences of the later blocks'
 * ({@code θ = θ₁ + Σₖ (θₖ − θ₁)}); the later blocks are removed (their branches and adds, the skip
 * kept). Which run is collapsed is chosen on the holdout, before any healing. Without merging the
 * parameters this is removing the blocks ({@link #removeBlocks}, what a cut does), the comparison
 * the benchmark makes.
 */
public final class LayerCollapse {
    private LayerCollapse() {}

    /** The collapsed network and the blocks (by their add vertex) it absorbed into {@code into}. */
    public record Result(Network network, String into, List<String> removed, double holdoutAccuracy) {}

    public static Result collapse(Network net, int count, Dataset data) {
        List<ResidualBlock> blocks = ResidualBlock.find(NetworkView.describing(net.model())).stream()
                .filter(ResidualBlock::identitySkip).toList();
        Result best = null;
        for (int s = 0; s + count < blocks.size(); s++) {
            List<ResidualBlock> run = blocks.subList(s, s + count + 1);
            if (!alike(net, run)) {
                continue;
            }
            List<String> removed = run.subList(1, run.size()).stream().map(ResidualBlock::add).toList();
            Network candidate = removeBlocks(merged(net, run), removed);
            double accuracy = ModelMetrics.holdoutScore(candidate.model(), data).accuracy();
            if (best == null || accuracy > best.holdoutAccuracy()) {
                best = new Result(candidate, run.get(0).add(), removed, accuracy);
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("layers: no run of " + (count + 1) + " consecutive residual blocks with an "
                    + "identity skip and alike branches (found " + blocks.size() + " identity-skip blocks)");
        }
        return best;
    }

    /** {@code net} without the identity-skip blocks ending at {@code adds}: what removing them alone (a cut) gives. */
    public static Network removeBlocks(Network net, List<String> adds) {
        Network out = net;
        for (String add : adds) {
            ResidualBlock b = ResidualBlock.find(NetworkView.describing(out.model())).stream()
                    .filter(x -> x.add().equals(add)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("layers: no residual block ends at '" + add + "'"));
            out = Edits.of(out).removeKeeping(b.add(), b.skip());
        }
        return out;
    }

    private static boolean alike(Network net, List<ResidualBlock> run) {
        List<String> first = run.get(0).branch();
        for (ResidualBlock b : run.subList(1, run.size())) {
            if (b.branch().size() != first.size()) {
                return false;
            }
            for (int i = 0; i < first.size(); i++) {
                Map<String, INDArray> p = net.params(first.get(i));
                Map<String, INDArray> q = net.params(b.branch().get(i));
                if (!p.keySet().equals(q.keySet())) {
                    return false;
                }
                for (String k : p.keySet()) {
                    if (!Arrays.equals(p.get(k).shape(), q.get(k).shape())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static Network merged(Network net, List<ResidualBlock> run) {
        Network out = net.copy();
        List<String> first = run.get(0).branch();
        for (int i = 0; i < first.size(); i++) {
            for (Map.Entry<String, INDArray> e : out.params(first.get(i)).entrySet()) {
                INDArray base = net.params(first.get(i)).get(e.getKey());
                for (ResidualBlock b : run.subList(1, run.size())) {
                    e.getValue().addi(net.params(b.branch().get(i)).get(e.getKey()).sub(base));
                }
            }
        }
        return out;
    }
}
