package dev.topiary.surgery.graph;

import dev.topiary.surgery.UnsupportedModelException;
import dev.topiary.surgery.layers.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * Which channels change together when a neuron or filter is removed, repeated or moved
 * (Torch-Pruning's dependency graph), from each node's {@link Channels} rule:
 * <ul>
 *   <li>a {@code PRODUCER} (Dense, Output, Convolution) starts a new group of its {@code nOut}
 *       channels and consumes the channels of its input, in blocks of {@code H*W} rows behind a
 *       CNN-to-dense flattening;
 *   <li>a {@code PASS_THROUGH} (pooling, BatchNormalization, dropout, activation, global pooling)
 *       keeps its input's channels;
 *   <li>a {@code TIED} vertex (element-wise add) merges the groups of all its inputs, position by
 *       position: a residual add makes every layer feeding it change the same channels;
 *   <li>a {@code CONCATENATED} vertex (merge) outputs its inputs' channels one after another, so a
 *       layer reading it consumes several groups at consecutive offsets.
 * </ul>
 * A node's output is thus a list of {@link Segment}s ({@link #layout}). A group is fixed when it
 * holds the network input, an output layer's outputs (the classes), the network output, or
 * channels reshaped by a preprocessor whose height and width a channel count cannot follow.
 *
 * <pre>{@code
 * DependencyGraph graph = DependencyGraph.of(NetworkView.of(model, "prune"));
 * for (ChannelGroup g : graph.prunableGroups()) { ... g.producers() ... g.consumers() ... }
 * }</pre>
 */
public final class DependencyGraph {
    private final NetworkView view;
    private final List<ChannelGroup> groups;
    private final Map<String, List<Integer>> layouts;
    private final Map<String, List<Segment>> inputLayouts;

    private DependencyGraph(NetworkView view, List<ChannelGroup> groups, Map<String, List<Integer>> layouts,
            Map<String, List<Segment>> inputLayouts) {
        this.view = view;
        this.groups = List.copyOf(groups);
        this.layouts = Map.copyOf(layouts);
        this.inputLayouts = Map.copyOf(inputLayouts);
    }

    public static DependencyGraph of(NetworkView view) {
        UnionFind sets = new UnionFind();
        Map<String, List<Integer>> layoutSets = new LinkedHashMap<>();
        Map<String, List<Segment>> readSets = new LinkedHashMap<>();
        Map<Integer, String> fixed = new LinkedHashMap<>();
        for (Node n : view.nodes()) {
            if (n.isInput()) {
                int s = sets.add();
                layoutSets.put(n.name(), List.of(s));
                fixed.put(s, "network input");
                continue;
            }
            List<Integer> in = layoutSets.get(n.input());
            switch (n.rules().channels()) {
                case PRODUCER -> {
                    int s = sets.add();
                    layoutSets.put(n.name(), List.of(s));
                    if (n.rules().fixedOutputs()) {
                        fixed.put(s, "outputs of output layer '" + n.name() + "'");
                    }
                    int block = blockOf(n);
                    readSets.put(n.name(), in.stream().map(g -> new Segment(g, block)).toList());
                    if (n.preProcessor() instanceof FeedForwardToCnnPreProcessor) {
                        in.forEach(g -> fixed.put(g, "reshaped to CNN input by layer '" + n.name() + "'"));
                    }
                }
                case PASS_THROUGH -> {
                    if (n.preProcessor() != null) {
                        // A reshape in front of a pass-through changes what a channel is; keep both sides whole.
                        int s = sets.add();
                        layoutSets.put(n.name(), List.of(s));
                        String why = "reshaped by the preprocessor of layer '" + n.name() + "'";
                        in.forEach(g -> fixed.put(g, why));
                        fixed.put(s, why);
                    } else {
                        layoutSets.put(n.name(), in);
                    }
                }
                case TIED -> {
                    List<Integer> first = in;
                    for (String other : n.inputs()) {
                        List<Integer> l = layoutSets.get(other);
                        if (l.size() != first.size()) {
                            throw new UnsupportedModelException("vertex '" + n.name() + "' combines inputs whose channels "
                                    + "are laid out differently ('" + n.input() + "' and '" + other + "')");
                        }
                        for (int i = 0; i < l.size(); i++) {
                            sets.union(first.get(i), l.get(i));
                        }
                    }
                    layoutSets.put(n.name(), first);
                }
                case CONCATENATED -> {
                    List<Integer> all = new ArrayList<>();
                    n.inputs().forEach(i -> all.addAll(layoutSets.get(i)));
                    layoutSets.put(n.name(), List.copyOf(all));
                }
                case OPAQUE -> throw new UnsupportedModelException("layer '" + n.name() + "' of type " + n.typeName()
                        + " has no registered rules");
            }
        }
        for (int s : layoutSets.get(view.output())) {
            fixed.putIfAbsent(s, "network output '" + view.output() + "'");
        }
        return collect(view, sets, layoutSets, readSets, fixed);
    }

    private static int blockOf(Node n) {
        if (n.preProcessor() instanceof CnnToFeedForwardPreProcessor c) {
            return Math.toIntExact(c.getInputHeight() * c.getInputWidth());
        }
        return 1;
    }

    private static DependencyGraph collect(NetworkView view, UnionFind sets, Map<String, List<Integer>> layoutSets,
            Map<String, List<Segment>> readSets, Map<Integer, String> fixed) {
        // Group ids numbered in the order their first node appears, so ids are stable for a given model.
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        layoutSets.values().forEach(l -> l.forEach(s -> ids.computeIfAbsent(sets.find(s), k -> ids.size())));
        Map<String, List<Integer>> layouts = new LinkedHashMap<>();
        layoutSets.forEach((n, l) -> layouts.put(n, l.stream().map(s -> ids.get(sets.find(s))).toList()));
        Map<String, List<Segment>> reads = new LinkedHashMap<>();
        readSets.forEach((n, l) -> reads.put(n, l.stream().map(s -> new Segment(ids.get(sets.find(s.group())), s.block())).toList()));

        int count = ids.size();
        List<List<String>> producers = lists(count);
        List<List<String>> norms = lists(count);
        List<List<String>> carriers = lists(count);
        List<List<Consumer>> consumers = lists(count);
        String[] reason = new String[count];
        int[] size = new int[count];
        Arrays.fill(size, -1);
        fixed.forEach((s, why) -> {
            int g = ids.get(sets.find(s));
            if (reason[g] == null) {
                reason[g] = why;
            }
        });
        for (Node n : view.nodes()) {
            List<Integer> layout = layouts.get(n.name());
            if (layout.size() == 1) {
                carriers.get(layout.get(0)).add(n.name());
            }
            if (n.isInput()) {
                continue;
            }
            if (n.rules().channels() == Channels.PRODUCER) {
                int g = layout.get(0);
                producers.get(g).add(n.name());
                int nOut = Math.toIntExact(n.rules().outputChannels(n.config()));
                if (size[g] >= 0 && size[g] != nOut) {
                    throw new IllegalStateException("layers tied by an element-wise vertex disagree on width: '"
                            + n.name() + "' has " + nOut + ", group has " + size[g]);
                }
                size[g] = nOut;
            } else if (n.rules().channels() == Channels.PASS_THROUGH && n.preProcessor() == null
                    && !view.params(n).isEmpty()) {
                layout.stream().distinct().forEach(g -> norms.get(g).add(n.name()));
            }
        }
        for (Map.Entry<String, List<Segment>> e : reads.entrySet()) {
            Node n = view.node(e.getKey());
            List<Segment> segs = e.getValue();
            if (segs.size() == 1 && size[segs.get(0).group()] < 0) {
                // Network inputs: width follows from the first reader.
                size[segs.get(0).group()] = Math.toIntExact(n.rules().inputRows(n.config()) / segs.get(0).block());
            }
        }
        for (Map.Entry<String, List<Segment>> e : reads.entrySet()) {
            int offset = 0;
            for (Segment s : e.getValue()) {
                consumers.get(s.group()).add(new Consumer(e.getKey(), view.node(e.getKey()).input(), s.block(), offset));
                offset += Math.max(size[s.group()], 0) * s.block();
            }
        }
        List<ChannelGroup> groups = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            groups.add(new ChannelGroup(g, size[g], List.copyOf(producers.get(g)), List.copyOf(norms.get(g)),
                    List.copyOf(carriers.get(g)), List.copyOf(consumers.get(g)),
                    reason[g] != null ? reason[g] : consumers.get(g).isEmpty() ? "no layer reads it" : null));
        }
        return new DependencyGraph(view, groups, layouts, reads);
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

    /** The group of the channels in {@code node}'s output; refused for a node whose output concatenates several. */
    public ChannelGroup groupOf(String node) {
        List<Integer> l = layout(node);
        if (l.size() != 1) {
            throw new IllegalArgumentException("the output of '" + node + "' concatenates " + l.size() + " channel groups");
        }
        return groups.get(l.get(0));
    }

    /** The groups of {@code node}'s output channels, in order along the channel axis. */
    public List<Integer> layout(String node) {
        List<Integer> l = layouts.get(node);
        if (l == null) {
            throw new IllegalArgumentException("no layer named '" + node + "'");
        }
        return l;
    }

    /** The segments a producer's weight rows are indexed by, in row order; empty for other nodes. */
    public List<Segment> inputLayout(String node) {
        return inputLayouts.getOrDefault(node, List.of());
    }

    /** Disjoint sets of channel spaces; an element-wise vertex unions its inputs' spaces. */
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

        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent.set(Math.max(ra, rb), Math.min(ra, rb));
            }
        }
    }
}
