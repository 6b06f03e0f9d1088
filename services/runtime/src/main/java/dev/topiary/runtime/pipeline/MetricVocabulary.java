package dev.topiary.runtime.pipeline;

import dev.topiary.runtime.metrics.MetricNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metric names a condition may use: the standard ones ({@link MetricNames}) and those the
 * stage's service kind declares ({@code prune.weightSparsity}). A route of a prune stage can thus
 * name {@code prune.weightSparsity} but not {@code train.epochsRun}, which its versions never carry.
 */
public final class MetricVocabulary {
    /** The standard names only. */
    public static final MetricVocabulary STANDARD = new MetricVocabulary(null, List.of());

    /** The kind of the stage whose conditions these are; null when not known. */
    private final String kind;
    private final Set<String> declared;

    private MetricVocabulary(String kind, Collection<String> declared) {
        this.kind = kind;
        this.declared = Collections.unmodifiableSet(new LinkedHashSet<>(declared));
    }

    /** The standard names plus {@code declared}, each qualified ({@code kind.name}). */
    public static MetricVocabulary with(Collection<String> declared) {
        return declared.isEmpty() ? STANDARD : new MetricVocabulary(null, declared);
    }

    /** The names a stage of {@code kind} may use: the standard ones and {@code declared}, the kind's own. */
    public static MetricVocabulary forKind(String kind, Collection<String> declared) {
        return new MetricVocabulary(kind, declared);
    }

    /** A plain (not derived) metric name this vocabulary accepts. */
    public boolean knows(String name) {
        return MetricNames.isStandard(name) || declared.contains(name);
    }

    /** Every plain name, standard first. */
    public List<String> names() {
        List<String> all = new ArrayList<>(MetricNames.standardNames());
        all.addAll(declared);
        return Collections.unmodifiableList(all);
    }

    /** Every identifier: each plain name, {@code accuracyDrop}, and each name with Change and Ratio. */
    public List<String> identifiers() {
        List<String> names = new ArrayList<>(names());
        names.add(MetricNames.ACCURACY_DROP);
        names().forEach(m -> names.add(m + MetricNames.CHANGE_SUFFIX));
        names().forEach(m -> names.add(m + MetricNames.RATIO_SUFFIX));
        return Collections.unmodifiableList(names);
    }

    /**
     * For an unknown {@code kind.name}: that another kind's metrics are not this stage's to name,
     * where {@code kind} is neither the stage's own nor that of a metric it declares (a misspelt
     * metric of its own is a plain typo); else empty.
     */
    String otherKindHint(String unknown) {
        int dot = unknown.indexOf('.');
        if (dot <= 0) {
            return "";
        }
        String prefix = unknown.substring(0, dot + 1);
        if (prefix.equals(kind + ".") || declared.stream().anyMatch(d -> d.startsWith(prefix))) {
            return "";
        }
        return "; a route may name only the metrics of its own stage's kind, and this is not a " + prefix.substring(0, dot)
                + " stage";
    }

    /** Short enough for an error message, complete enough to fix the typo. */
    String describe() {
        return String.join(", ", names()) + ", " + MetricNames.ACCURACY_DROP
                + "; and any metric followed by Change (new - parent) or Ratio (new / parent), e.g. paramsRatio";
    }
}
