package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.Router;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo's models came to: every version of their lineages with the topic it went to, in
 * arrival order; whether the pipeline made everything it owed them; and their dead letters.
 */
record DemoResult(List<Arrival> arrivals, boolean settled, List<String> deadLetters) {
    /** A version and the topic it was published to. */
    record Arrival(ModelVersion version, String topic) {
        /**
         * The route that sent this version out of the pipeline: it went to a route's topic rather
         * than its stage's {@code to}, and no stage reads that topic. Empty for a version on its
         * stage's {@code to}, and for one a route sent on to another stage (e.g. round a loop).
         * Where several routes share the topic, it is the one the stage's {@link Router} chose:
         * asked again with the version's metrics and its parent's, which the version's
         * {@code changes} give back (to rounding; should that tip a boundary, the first route
         * to the topic).
         */
        Optional<Route> routeTaken(Pipeline pipeline) {
            boolean read = pipeline.stages().stream().anyMatch(s -> s.from().contains(topic));
            if (read || !pipeline.name().equals(version.getPipeline())) {
                return Optional.empty();
            }
            Map<String, Double> metrics = version.getMetrics() == null ? Map.of() : version.getMetrics().getValues();
            Map<String, Double> parentMetrics = new HashMap<>();
            version.getChanges().forEach((name, change) -> {
                Double now = metrics.get(name);
                if (now != null) {
                    parentMetrics.put(name, now - change);
                }
            });
            return pipeline.stage(version.getStage()).filter(s -> !s.to().equals(topic))
                    .flatMap(s -> Router.matchingRoute(s, metrics, parentMetrics).filter(route -> route.to().equals(topic))
                            // rounding in the rebuilt parent values can tip an exact boundary: it did leave by a route
                            .or(() -> s.routes().stream().filter(route -> route.to().equals(topic)).findFirst()));
        }
    }

    List<ModelVersion> versions() {
        return arrivals.stream().map(Arrival::version).toList();
    }
}
