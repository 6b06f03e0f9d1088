package dev.topiary.runtime.pipeline;

import java.util.Map;
import java.util.Optional;

/**
 * Picks the topic a stage's new version goes to. Routing is configuration, not code: the first
 * route whose {@code when} holds wins, otherwise the stage's {@code to}. First-match keeps the
 * outcome predictable when several conditions overlap (list the most specific first).
 */
public final class Router {
    private Router() {
    }

    /**
     * @param metrics       the new version's metrics
     * @param parentMetrics the first parent's metrics; null or empty when there is none, in which
     *                      case conditions on changes against the parent are false
     * @return a route's {@code to}, or the stage's {@code to} when none matches
     */
    public static String destination(StageSpec stage, Map<String, Double> metrics, Map<String, Double> parentMetrics) {
        return matchingRoute(stage, metrics, parentMetrics).map(Route::to).orElse(stage.to());
    }

    /** The first route that matches, e.g. to record in the event which rule sent it where. */
    public static Optional<Route> matchingRoute(StageSpec stage, Map<String, Double> metrics,
                                                Map<String, Double> parentMetrics) {
        return stage.routes().stream().filter(r -> r.when().test(metrics, parentMetrics)).findFirst();
    }
}
