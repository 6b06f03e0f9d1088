package dev.topiary.merger.layers;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.ResidualBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer collapse (LaCo, Yang et al. 2024): a run of {@code count + 1} consecutive alike units
 * becomes its first unit, each parameter of which gains the differences of the later units'
 * ({@code θ = θ₁ + Σₖ (θₖ − θ₁)}); the later units are removed. A unit is an identity-skip residual
 * block (its branch's layers; removing it keeps the skip), or, outside residual blocks, a Dense
 * layer as wide as its input in a chain of such layers (removing it lets its reader read its
 * input). Units are alike when their layers have the same parameter shapes and activations. Which
 * run is collapsed is chosen on the holdout, before any healing. Without merging the parameters
 * this is removing the units ({@link #removeBlocks} for blocks, what a cut does), the comparison
 * the benchmark makes.
 */
public final class LayerCollapse {
    private LayerCollapse() {}

    /** The collapsed network and the units it absorbed into {@code into}: blocks by their add vertex, chain layers by name. */
    public record Result(Network network, String into, List<String> removed, double holdoutAccuracy) {}

    public static Result collapse(Network net, int count, Dataset data) {
        NetworkView view = NetworkView.describing(net.model());
        List<ResidualBlock> blocks = ResidualBlock.find(view).stream().filter(ResidualBlock::identitySkip).toList();
        List<List<Unit>> sequences = new ArrayList<>();
        sequences.add(blocks.stream().map(b -> new Unit(b.add(), b.branch(), true)).toList());
        sequences.addAll(chains(view));
        Result best = null;
        for (List<Unit> units : sequences) {
            for (int s = 0; s + count < units.size(); s++) {
                List<Unit> run = units.subList(s, s + count + 1);
                if (!alike(net, run)) {
                    continue;
                }
                List<String> removed = run.subList(1, run.size()).stream().map(Unit::name).toList();
                Network merged = merged(net, run);
                Network candidate = run.get(0).block() ? removeBlocks(merged, removed) : removeLayers(merged, removed);
                double accuracy = ModelMetrics.holdoutScore(candidate.model(), data).accuracy();
                if (best == null || accuracy > best.holdoutAccuracy()) {
                    best = new Result(candidate, run.get(0).name(), removed, accuracy);
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("layers: no run of " + (count + 1) + " consecutive residual blocks with an "
                    + "identity skip and alike branches (found " + blocks.size() + " identity-skip blocks), nor of "
                    + (count + 1) + " consecutive Dense layers as wide as their inputs, alike");
        }
        return best;
    }

    /** A block (named by its add) or a chain layer, and the layers whose parameters merge. */
    private record Unit(String name, List<String> layers, boolean block) {}

    /**
     * Maximal chains of Dense layers (that class exactly) as wide as their input, each reading the
     * one before and read by it alone, outside residual branches.
     */
    private static List<List<Unit>> chains(NetworkView view) {
        Set<String> inBranches = new HashSet<>();
        ResidualBlock.find(view).forEach(b -> inBranches.addAll(b.branch()));
        List<List<Unit>> chains = new ArrayList<>();
        List<Unit> chain = new ArrayList<>();
        for (Node n : view.nodes()) {
            if (n.isInput() || n.config().getClass() != DenseLayer.class || inBranches.contains(n.name())
                    || n.inputs().size() != 1 || n.preProcessor() != null) {
                continue;
            }
            DenseLayer conf = (DenseLayer) n.config();
            if (conf.getNIn() != conf.getNOut()) {
                continue;
            }
            Unit last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
            if (last == null || !n.input().equals(last.name()) || !view.consumersOf(last.name()).equals(List.of(n.name()))) {
                if (chain.size() > 1) {
                    chains.add(chain);
                }
                chain = new ArrayList<>();
            }
            chain.add(new Unit(n.name(), List.of(n.name()), false));
        }
        if (chain.size() > 1) {
            chains.add(chain);
        }
        return chains;
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

    /** {@code net} without the chain layers {@code names}: each one's reader reads its input instead. */
    private static Network removeLayers(Network net, List<String> names) {
        Network out = net;
        for (String name : names) {
            out = Edits.of(out).remove(name);
        }
        return out;
    }

    private static boolean alike(Network net, List<Unit> run) {
        NetworkView view = NetworkView.describing(net.model());
        List<String> first = run.get(0).layers();
        for (Unit u : run.subList(1, run.size())) {
            if (u.layers().size() != first.size()) {
                return false;
            }
            for (int i = 0; i < first.size(); i++) {
                Map<String, INDArray> p = net.params(first.get(i));
                Map<String, INDArray> q = net.params(u.layers().get(i));
                if (!p.keySet().equals(q.keySet()) || !sameActivation(view.node(first.get(i)), view.node(u.layers().get(i)))) {
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

    private static boolean sameActivation(Node a, Node b) {
        return activationOf(a).equals(activationOf(b));
    }

    /** A layer's activation function; a layer without one (batch norm, dropout, a vertex) stands for itself by its kind. */
    private static Object activationOf(Node n) {
        if (n.config() instanceof BaseLayer l) {
            return l.getActivationFn();
        }
        return n.config() instanceof ActivationLayer l ? l.getActivationFn() : n.config().getClass();
    }

    private static Network merged(Network net, List<Unit> run) {
        Network out = net.copy();
        List<String> first = run.get(0).layers();
        for (int i = 0; i < first.size(); i++) {
            for (Map.Entry<String, INDArray> e : out.params(first.get(i)).entrySet()) {
                INDArray base = net.params(first.get(i)).get(e.getKey());
                for (Unit u : run.subList(1, run.size())) {
                    e.getValue().addi(net.params(u.layers().get(i)).get(e.getKey()).sub(base));
                }
            }
        }
        return out;
    }
}
