package dev.topiary.pruner.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * Which layers change together when a neuron or filter goes (Torch-Pruning's dependency graph).
 *
 * <p>Every node's output tensor has a channel axis; nodes whose channel axes must stay aligned
 * share a {@link ChannelGroup}. The rules:
 * <ul>
 *   <li>a Dense, Output or Convolution layer starts a new group with its {@code nOut} channels;
 *   <li>Subsampling, BatchNormalization, Dropout and Activation keep their input's group;
 *   <li>an element-wise vertex merges the groups of all its inputs (a residual add makes every
 *       layer feeding it prune the same indices), and its output is in that group;
 *   <li>Dense, Output and Convolution layers consume the group of their input, Dense through a
 *       CnnToFeedForward flattening in blocks of {@code H*W} rows.
 * </ul>
 * A group is fixed, never pruned, when it holds a network input, the output layer's outputs (the
 * classes), a network output, or channels reshaped by a FeedForwardToCnn preprocessor (whose
 * height/width split a neuron count cannot follow).
 */
public final class DependencyGraph {
    private final NetworkView view;
    private final List<ChannelGroup> groups;
    private final Map<String, Integer> groupOfOutput;

    private DependencyGraph(NetworkView view, List<ChannelGroup> groups, Map<String, Integer> groupOfOutput) {
        this.view = view;
        this.groups = List.copyOf(groups);
        this.groupOfOutput = Map.copyOf(groupOfOutput);
    }

    public static DependencyGraph of(NetworkView view) {
        UnionFind sets = new UnionFind();
        Map<String, Integer> setOf = new LinkedHashMap<>();
        Map<Integer, String> fixed = new LinkedHashMap<>();
        List<Consumer> consumers = new ArrayList<>();
        for (Node n : view.nodes()) {
            switch (n.kind()) {
                case INPUT -> {
                    int s = sets.add();
                    setOf.put(n.name(), s);
                    fixed.put(s, "network input");
                }
                case DENSE, OUTPUT, CONVOLUTION -> {
                    int s = sets.add();
                    setOf.put(n.name(), s);
                    if (n.kind() == NodeKind.OUTPUT) {
                        fixed.put(s, "outputs of output layer '" + n.name() + "'");
                    }
                    consumers.add(new Consumer(n.name(), n.input(), blockOf(n)));
                    if (n.preProcessor() instanceof FeedForwardToCnnPreProcessor) {
                        fixed.put(setOf.get(n.input()), "reshaped to CNN input by layer '" + n.name() + "'");
                    }
                }
                case SUBSAMPLING, BATCH_NORMALIZATION, DROPOUT, ACTIVATION -> {
                    int in = setOf.get(n.input());
                    if (n.preProcessor() != null) {
                        // A reshape in front of a pass-through changes what a channel is; keep both sides whole.
                        int s = sets.add();
                        setOf.put(n.name(), s);
                        fixed.put(in, "reshaped by the preprocessor of layer '" + n.name() + "'");
                        fixed.put(s, "reshaped by the preprocessor of layer '" + n.name() + "'");
                    } else {
                        setOf.put(n.name(), in);
                    }
                }
                case ELEMENT_WISE -> {
                    int s = setOf.get(n.inputs().get(0));
                    for (String in : n.inputs()) {
                        s = sets.union(s, setOf.get(in));
                    }
                    setOf.put(n.name(), s);
                }
            }
        }
        for (String out : view.outputs()) {
            fixed.putIfAbsent(setOf.get(out), "network output '" + out + "'");
        }
        return new DependencyGraph(view, collect(view, sets, setOf, fixed, consumers), remap(sets, setOf));
    }

    private static int blockOf(Node n) {
        if (n.preProcessor() instanceof CnnToFeedForwardPreProcessor c) {
            return Math.toIntExact(c.getInputHeight() * c.getInputWidth());
        }
        return 1;
    }

    /** Group ids numbered in the order their first node appears, so ids are stable for a given model. */
    private static Map<Integer, Integer> rootIds(UnionFind sets, Map<String, Integer> setOf) {
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        setOf.values().forEach(s -> ids.computeIfAbsent(sets.find(s), k -> ids.size()));
        return ids;
    }

    private static Map<String, Integer> remap(UnionFind sets, Map<String, Integer> setOf) {
        Map<Integer, Integer> ids = rootIds(sets, setOf);
        Map<String, Integer> out = new LinkedHashMap<>();
        setOf.forEach((node, s) -> out.put(node, ids.get(sets.find(s))));
        return out;
    }

    private static List<ChannelGroup> collect(NetworkView view, UnionFind sets, Map<String, Integer> setOf,
            Map<Integer, String> fixed, List<Consumer> consumers) {
        Map<Integer, Integer> ids = rootIds(sets, setOf);
        Map<String, Integer> groupOf = remap(sets, setOf);
        int count = ids.size();
        List<List<String>> producers = lists(count);
        List<List<String>> norms = lists(count);
        List<List<String>> carriers = lists(count);
        List<List<Consumer>> reads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reads.add(new ArrayList<>());
        }
        String[] reason = new String[count];
        int[] size = new int[count];
        java.util.Arrays.fill(size, -1);
        fixed.forEach((s, why) -> {
            int g = ids.get(sets.find(s));
            if (reason[g] == null) {
                reason[g] = why;
            }
        });
        for (Node n : view.nodes()) {
            int g = groupOf.get(n.name());
            carriers.get(g).add(n.name());
            if (n.kind().producer()) {
                producers.get(g).add(n.name());
                int nOut = Math.toIntExact(((FeedForwardLayer) n.layer()).getNOut());
                if (size[g] >= 0 && size[g] != nOut) {
                    throw new IllegalStateException("layers tied by an element-wise vertex disagree on width: '"
                            + n.name() + "' has " + nOut + ", group has " + size[g]);
                }
                size[g] = nOut;
            } else if (n.kind() == NodeKind.BATCH_NORMALIZATION && n.preProcessor() == null) {
                norms.get(g).add(n.name());
            }
        }
        for (Consumer c : consumers) {
            int g = groupOf.get(c.source());
            reads.get(g).add(c);
            if (size[g] < 0) {
                // Network inputs: width follows from the first reader.
                long nIn = ((FeedForwardLayer) view.node(c.node()).layer()).getNIn();
                size[g] = Math.toIntExact(nIn / c.block());
            }
        }
        List<ChannelGroup> groups = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            groups.add(new ChannelGroup(g, size[g], List.copyOf(producers.get(g)), List.copyOf(norms.get(g)),
                    List.copyOf(carriers.get(g)), List.copyOf(reads.get(g)),
                    reason[g] != null ? reason[g] : reads.get(g).isEmpty() ? "no layer reads it" : null));
        }
        return groups;
    }

    private static <T> List<List<T>> lists(int n) {
        List<List<T>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new ArrayList<>());
        }
        return l;
    }

    public NetworkView view() {
        return view;
    }

    public List<ChannelGroup> groups() {
        return groups;
    }

    public List<ChannelGroup> prunableGroups() {
        return groups.stream().filter(ChannelGroup::prunable).toList();
    }

    /** The group of the channels in {@code node}'s output. */
    public ChannelGroup groupOf(String node) {
        Integer g = groupOfOutput.get(node);
        if (g == null) {
            throw new IllegalArgumentException("no layer named '" + node + "'");
        }
        return groups.get(g);
    }

    /** Disjoint sets of channel spaces; an add vertex unions its inputs' spaces. */
    private static final class UnionFind {
        private final List<Integer> parent = new ArrayList<>();

        int add() {
            parent.add(parent.size());
            return parent.size() - 1;
        }

        int find(int x) {
            while (parent.get(x) != x) {
                parent.set(x, parent.get(parent.get(x)));
                x = parent.get(x);
            }
            return x;
        }

        int union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent.set(Math.max(ra, rb), Math.min(ra, rb));
            }
            return Math.min(ra, rb);
        }
    }
}
