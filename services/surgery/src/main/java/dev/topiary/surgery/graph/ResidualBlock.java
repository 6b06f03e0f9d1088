package dev.topiary.surgery.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * A residual block: a fork whose output reaches an element-wise add along two paths, a branch of
 * layers and a skip (the identity, or a projection). What cutting removes whole
 * ({@code Edits.removeKeeping(add, skip)}) and growing inserts.
 *
 * @param add the add vertex that ends the block
 * @param fork the node both paths start from
 * @param skip the add's input on the skip side: the fork itself for an identity skip, else the last
 *     layer of the projection
 * @param branch the nodes on the other path, in topological order (fork and add excluded)
 */
public record ResidualBlock(String add, String fork, String skip, List<String> branch) {

    public ResidualBlock {
        branch = List.copyOf(branch);
    }

    public boolean identitySkip() {
        return skip.equals(fork);
    }

    /** Every two-input add of {@code view} with the paths that lead to it, in topological order. */
    public static List<ResidualBlock> find(NetworkView view) {
        List<Node> nodes = view.nodes();
        Map<String, Integer> order = new java.util.HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            order.put(nodes.get(i).name(), i);
        }
        List<ResidualBlock> blocks = new ArrayList<>();
        for (Node n : nodes) {
            if (!(n.config() instanceof ElementWiseVertex v) || v.getOp() != ElementWiseVertex.Op.Add
                    || n.inputs().size() != 2) {
                continue;
            }
            String a = n.inputs().get(0);
            String b = n.inputs().get(1);
            Set<String> upA = ancestorsOrSelf(view, a);
            Set<String> upB = ancestorsOrSelf(view, b);
            String fork = upA.stream().filter(upB::contains).max(java.util.Comparator.comparingInt(order::get)).orElse(null);
            if (fork == null) {
                continue;
            }
            List<String> pathA = between(view, fork, upA, order);
            List<String> pathB = between(view, fork, upB, order);
            boolean aIsSkip = a.equals(fork) || (!b.equals(fork) && pathA.size() <= pathB.size());
            blocks.add(new ResidualBlock(n.name(), fork, aIsSkip ? a : b, aIsSkip ? pathB : pathA));
        }
        return blocks;
    }

    private static Set<String> ancestorsOrSelf(NetworkView view, String node) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(node));
        while (!todo.isEmpty()) {
            String x = todo.remove(todo.size() - 1);
            if (seen.add(x)) {
                todo.addAll(view.node(x).inputs());
            }
        }
        return seen;
    }

    /** Nodes after {@code fork} (reachable from it) among {@code up}, in topological order. */
    private static List<String> between(NetworkView view, String fork, Set<String> up, Map<String, Integer> order) {
        Set<String> down = new HashSet<>();
        List<String> todo = new ArrayList<>(view.consumersOf(fork));
        while (!todo.isEmpty()) {
            String x = todo.remove(todo.size() - 1);
            if (up.contains(x) && down.add(x)) {
                todo.addAll(view.consumersOf(x));
            }
        }
        return down.stream().sorted(java.util.Comparator.comparingInt(order::get)).toList();
    }
}
