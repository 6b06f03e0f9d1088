package dev.topiary.surgery.index;

import dev.topiary.surgery.UnsupportedModelException;
import dev.topiary.surgery.graph.Blueprint;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.Segment;
import dev.topiary.surgery.layers.Channels;
import dev.topiary.surgery.layers.LayerRules;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link IndexMap}s for some channel groups of a network, and the rebuild that applies them: the
 * configuration is copied with new widths ({@code nIn}, {@code nOut}, flattening channel counts),
 * a fresh network is initialised from it, and every parameter is copied through the maps, using
 * each layer type's {@link ParamAxes}: a producer's output axis follows its group, a pass-through
 * layer's parameters (BatchNormalization) follow its channels, and a consumer's input axis follows
 * the groups it reads (in {@code H*W} blocks behind a flattening, at offsets behind a merge), with
 * rows of repeated channels rescaled. The result is an ordinary network with the same layer names
 * that ModelSerializer saves and loads; its updater state starts fresh. Groups not in the plan keep
 * every channel; fixed groups (the classes, the input) are refused.
 *
 * <pre>{@code
 * DependencyGraph graph = DependencyGraph.of(NetworkView.of(model, "grow"));
 * int g = graph.groupOf("dense1").id();
 * Network wider = IndexPlan.of(Map.of(g, IndexMap.widen(300, new int[] {7, 42}))).apply(graph);
 * }</pre>
 */
public record IndexPlan(Map<Integer, IndexMap> maps) {

    public IndexPlan {
        maps = Map.copyOf(maps);
    }

    public static IndexPlan of(Map<Integer, IndexMap> maps) {
        return new IndexPlan(maps);
    }

    /** The map of a group, or null when it is untouched. */
    public IndexMap mapOf(int group) {
        return maps.get(group);
    }

    /** A group's width after the plan. */
    public int sizeOf(ChannelGroup group) {
        IndexMap m = maps.get(group.id());
        return m == null ? group.size() : m.newSize();
    }

    public boolean isEmpty() {
        return maps.isEmpty();
    }

    /** The network {@code graph} describes with every map applied; the original is not changed. */
    public Network apply(DependencyGraph graph) {
        check(graph);
        Blueprint blueprint = graph.view().network().blueprint();
        for (Blueprint.Entry e : blueprint.entries()) {
            resize(graph, graph.view().node(e.name()), e);
        }
        return blueprint.build((entry, from, to) -> {
            Node node = graph.view().node(entry.name());
            for (Map.Entry<String, INDArray> p : to.entrySet()) {
                Blueprint.assignChecked(entry.name(), p.getKey(), p.getValue(), mapped(graph, node, p.getKey(), from.get(p.getKey())));
            }
        });
    }

    private void check(DependencyGraph graph) {
        for (Map.Entry<Integer, IndexMap> e : maps.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= graph.groups().size()) {
                throw new IllegalArgumentException("no channel group " + e.getKey());
            }
            ChannelGroup g = graph.groups().get(e.getKey());
            if (!g.prunable()) {
                throw new UnsupportedModelException("channels of '" + g.name() + "' cannot change: " + g.fixedReason());
            }
            if (e.getValue().oldSize() != g.size()) {
                throw new IllegalArgumentException("index map for '" + g.name() + "' is for " + e.getValue().oldSize()
                        + " channels; the group has " + g.size());
            }
        }
    }

    private void resize(DependencyGraph graph, Node n, Blueprint.Entry e) {
        LayerRules rules = n.rules();
        if (rules.channels() == Channels.PRODUCER) {
            long rows = 0;
            long channels = 0;
            for (Segment s : graph.inputLayout(n.name())) {
                int w = sizeOf(graph.groups().get(s.group()));
                rows += (long) w * s.block();
                channels += w;
            }
            rules.resize(e.config(), rows, sizeOf(graph.groupOf(n.name())));
            if (e.preProcessor() instanceof CnnToFeedForwardPreProcessor flatten) {
                flatten.setNumChannels(channels);
            }
        } else if (rules.channels() == Channels.PASS_THROUGH) {
            long w = graph.layout(n.name()).stream().mapToLong(g -> sizeOf(graph.groups().get(g))).sum();
            rules.resize(e.config(), w, w);
        }
    }

    private INDArray mapped(DependencyGraph graph, Node node, String param, INDArray value) {
        ParamAxes axes = node.rules().axes(param);
        if (axes == null) {
            throw new UnsupportedModelException("layer '" + node.name() + "' (" + node.typeName() + ") has parameter '"
                    + param + "' whose channel axes its rules do not give");
        }
        if (value == null) {
            throw new IllegalStateException("layer '" + node.name() + "' has no parameter '" + param + "' to copy");
        }
        INDArray p = value;
        if (axes.hasIn()) {
            Rows in = rows(graph, graph.inputLayout(node.name()));
            if (in != null) {
                p = Take.take(p, ParamAxes.resolve(axes.inAxis(), p.rank()), in.index, in.scale);
            }
        }
        if (axes.hasOut()) {
            List<Segment> out = graph.layout(node.name()).stream().map(g -> new Segment(g, 1)).toList();
            Rows o = rows(graph, out);
            if (o != null) {
                p = Take.take(p, ParamAxes.resolve(axes.outAxis(), p.rank()), o.index, null);
            }
        }
        return p;
    }

    private record Rows(int[] index, double[] scale) {
    }

    /** The old rows each new row copies, and its consumer scale; null when nothing changes. */
    private Rows rows(DependencyGraph graph, List<Segment> segments) {
        if (segments.stream().noneMatch(s -> maps.containsKey(s.group()))) {
            return null;
        }
        List<Integer> index = new ArrayList<>();
        List<Double> scale = new ArrayList<>();
        boolean scaled = false;
        int offset = 0;
        for (Segment s : segments) {
            ChannelGroup g = graph.groups().get(s.group());
            IndexMap m = maps.get(s.group());
            int[] source = m == null ? identity(g.size()) : m.source();
            for (int j = 0; j < source.length; j++) {
                double f = m == null ? 1 : m.consumerScale()[j];
                scaled |= f != 1;
                for (int k = 0; k < s.block(); k++) {
                    index.add(offset + source[j] * s.block() + k);
                    scale.add(f);
                }
            }
            offset += g.size() * s.block();
        }
        return new Rows(index.stream().mapToInt(Integer::intValue).toArray(),
                scaled ? scale.stream().mapToDouble(Double::doubleValue).toArray() : null);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
