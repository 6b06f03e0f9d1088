package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import java.util.List;

/**
 * What the demo's models came to: every version of their lineages with the topic it went to, in
 * arrival order; whether the pipeline made everything it owed them; and their dead letters.
 */
record DemoResult(List<Arrival> arrivals, boolean settled, List<String> deadLetters) {
    /** A version and the topic it was published to. */
    record Arrival(ModelVersion version, String topic) {}

    List<ModelVersion> versions() {
        return arrivals.stream().map(Arrival::version).toList();
    }
}
