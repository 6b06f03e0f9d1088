package dev.topiary.registry.query;

import dev.topiary.events.OperationKind;
import dev.topiary.registry.state.VersionEntry;
import dev.topiary.runtime.metrics.MetricNames;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cheapest version of a lineage within an accuracy budget: the reference is the lineage's most
 * accurate trained version (TRAIN or FINETUNE); a candidate is measured on the reference's data set
 * and at most {@code maxAccuracyDrop} (absolute, 0.01 = one point) less accurate. Of those, the one
 * with the least cost wins; ties go to the more accurate, then to the smaller id.
 */
public final class BestVersion {
    static final Set<OperationKind> TRAINED = Set.of(OperationKind.TRAIN, OperationKind.FINETUNE);
    /** Accuracies are fractions of a test split; a difference this small is rounding, not a drop. */
    private static final double EPSILON = 1e-12;

    /**
     * @param chosen the cheapest version within the budget
     * @param reference the most accurate trained version the budget is measured from
     * @param candidates how many versions were within the budget and had the cost metric
     */
    public record Choice(VersionEntry chosen, VersionEntry reference, int candidates) {}

    private BestVersion() {}

    /** The reference of a lineage, if it has a trained version with an accuracy on some data set. */
    public static Optional<VersionEntry> reference(Collection<VersionEntry> lineage) {
        return lineage.stream()
                .filter(v -> TRAINED.contains(v.version().getOperation().getKind()))
                .filter(v -> v.dataset() != null && v.metric(MetricNames.ACCURACY).isPresent())
                .max(Comparator.<VersionEntry>comparingDouble(Frontier::accuracy)
                        .thenComparing(Comparator.comparing(VersionEntry::id).reversed()));
    }

    public static Optional<Choice> find(Collection<VersionEntry> lineage, CostMetric minimize, double maxAccuracyDrop) {
        Optional<VersionEntry> ref = reference(lineage);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        VersionEntry reference = ref.get();
        double floor = Frontier.accuracy(reference) - maxAccuracyDrop - EPSILON;
        List<VersionEntry> candidates = lineage.stream()
                .filter(v -> reference.dataset().equals(v.dataset()))
                .filter(v -> v.metric(minimize.key).isPresent() && v.metric(MetricNames.ACCURACY).isPresent())
                .filter(v -> Frontier.accuracy(v) >= floor)
                .toList();
        return candidates.stream()
                .min(Comparator.<VersionEntry>comparingDouble(v -> Frontier.cost(v, minimize))
                        .thenComparing(Comparator.<VersionEntry>comparingDouble(Frontier::accuracy).reversed())
                        .thenComparing(VersionEntry::id))
                .map(chosen -> new Choice(chosen, reference, candidates.size()));
    }
}
