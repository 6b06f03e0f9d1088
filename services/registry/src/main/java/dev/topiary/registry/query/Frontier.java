package dev.topiary.registry.query;

import dev.topiary.registry.state.VersionEntry;
import dev.topiary.runtime.metrics.MetricNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accuracy/cost frontier: the versions no other version beats, that is, none is at least as
 * accurate and at most as costly and strictly better in one of the two. Accuracy is only
 * comparable on the same data, so there is one frontier per data set.
 */
public final class Frontier {
    private Frontier() {}

    /** The frontier of each data set among {@code versions}, by data set; versions lacking either metric take no part. */
    public static Map<String, List<VersionEntry>> byDataset(Collection<VersionEntry> versions, CostMetric x) {
        Map<String, List<VersionEntry>> groups = new TreeMap<>();
        for (VersionEntry v : versions) {
            if (v.dataset() != null && v.metric(x.key).isPresent() && v.metric(MetricNames.ACCURACY).isPresent()) {
                groups.computeIfAbsent(v.dataset(), d -> new ArrayList<>()).add(v);
            }
        }
        Map<String, List<VersionEntry>> out = new TreeMap<>();
        groups.forEach((dataset, group) -> out.put(dataset, of(group, x)));
        return out;
    }

    /**
     * The frontier of versions measured on one data set, cheapest first. Sorted by cost, then by
     * accuracy (best first), a version is on it when it is more accurate than every cheaper one;
     * exact ties with a version on it are on it too.
     */
    public static List<VersionEntry> of(Collection<VersionEntry> sameDataset, CostMetric x) {
        // metrics read once per version: the sort compares plain numbers, which keeps a query
        // over every version of a large registry within a few milliseconds
        List<Point> points = new ArrayList<>(sameDataset.size());
        for (VersionEntry v : sameDataset) {
            points.add(new Point(v, cost(v, x), accuracy(v)));
        }
        points.sort(Point::compareTo);
        List<VersionEntry> front = new ArrayList<>();
        Point last = null;
        for (Point p : points) {
            if (last == null || p.accuracy() > last.accuracy()
                    || (p.accuracy() == last.accuracy() && p.cost() == last.cost())) {
                front.add(p.entry());
                last = p;
            }
        }
        return front;
    }

    /** Cheapest first, then most accurate, then by id: one comparison of plain numbers, no comparator chain. */
    private record Point(VersionEntry entry, double cost, double accuracy) implements Comparable<Point> {
        @Override
        public int compareTo(Point o) {
            int c = Double.compare(cost, o.cost);
            if (c == 0) {
                c = Double.compare(o.accuracy, accuracy);
            }
            return c != 0 ? c : entry.id().compareTo(o.entry.id());
        }
    }

    static double cost(VersionEntry v, CostMetric x) {
        return v.metric(x.key).orElseThrow();
    }

    static double accuracy(VersionEntry v) {
        return v.metric(MetricNames.ACCURACY).orElseThrow();
    }
}
