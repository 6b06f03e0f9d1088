package dev.topiary.runtime.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A route's {@code when}: a test on a new model version's metrics and on how they changed against
 * its parent, so a pipeline can branch, reject or loop without code. For example
 * {@code accuracyDrop > 0.02 or (paramsRatio > 0.5 and not latencyMs < 10)}.
 *
 * <p>Comparisons are {@code METRIC OP NUMBER} or {@code METRIC OP METRIC} (e.g.
 * {@code accuracy > bestParentAccuracy}) with {@code < <= > >= == !=}, joined by {@code and},
 * {@code or}, {@code not} (also {@code && || !}) and parentheses; {@code not} binds tightest, then
 * {@code and}, then {@code or}. Metric names are those of a {@link MetricVocabulary}: the standard
 * ones, listed by {@link #identifiers()}, and those the stage's service kind declares.
 *
 * <p>Missing values: a comparison whose value cannot be known (the metric is absent or NaN, the
 * version has no parent, or a ratio's parent value is zero) is <em>false</em>, for every operator
 * including {@code !=}. A route therefore never fires on data it does not have. Note that
 * {@code not} still negates such a false, so write {@code accuracyDrop <= 0.01} rather than
 * {@code not accuracyDrop > 0.01} when a version without a parent must not match.
 */
public final class Condition {
    private final String source;
    private final ConditionNode root;

    private Condition(String source, ConditionNode root) {
        this.source = source;
        this.root = root;
    }

    /** A condition on the standard metrics. @throws ConditionSyntaxException with the 1-based column of the first problem */
    public static Condition parse(String source) {
        return parse(source, MetricVocabulary.STANDARD);
    }

    /** A condition that may also name the metrics {@code vocabulary} declares. */
    public static Condition parse(String source, MetricVocabulary vocabulary) {
        if (source == null) {
            throw new ConditionSyntaxException("", 1, "empty condition");
        }
        return new Condition(source, ConditionParser.parse(source, vocabulary));
    }

    /**
     * @param metrics       the new version's metrics, keyed as in {@code ModelVersion.metrics.values}
     * @param parentMetrics the (first) parent's metrics; null or empty when there is no parent
     */
    public boolean test(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
        return root.test(metrics == null ? Map.of() : metrics, parentMetrics == null ? Map.of() : parentMetrics);
    }

    /** Every standard metric name the language accepts, derived ones included, for help texts. */
    public static List<String> identifiers() {
        return MetricVocabulary.STANDARD.identifiers();
    }

    /** The source text, as written. */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && c.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
