package dev.topiary.registry.query;

import dev.topiary.registry.state.RegistryState;
import dev.topiary.registry.state.VersionEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DAG of one lineage: its versions, oldest first, and an edge from each parent to each child.
 * A merge's parents from other lineages are outside nodes ({@code outside}), listed so the edge has
 * both ends; a parent the registry has not seen (yet) is listed by id alone ({@code entry} null).
 */
public record LineageGraph(String lineage, List<VersionEntry> versions, Map<String, VersionEntry> outside,
                           List<Edge> edges) {
    public record Edge(String parent, String child) {}

    public static LineageGraph of(RegistryState state, String lineage) {
        List<VersionEntry> versions = new ArrayList<>(state.lineage(lineage));
        versions.sort(Comparator.comparing((VersionEntry v) -> v.version().getCreatedAt()).thenComparing(VersionEntry::id));
        Map<String, VersionEntry> outside = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        for (VersionEntry v : versions) {
            for (String parent : v.version().getParents()) {
                edges.add(new Edge(parent, v.id()));
                VersionEntry p = state.version(parent).orElse(null);
                if (p == null || !p.lineage().equals(lineage)) {
                    outside.put(parent, p);
                }
            }
        }
        return new LineageGraph(lineage, versions, outside, edges);
    }
}
