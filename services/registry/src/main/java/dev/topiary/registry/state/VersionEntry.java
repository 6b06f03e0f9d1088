package dev.topiary.registry.state;

import dev.topiary.events.ModelVersion;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One registered version: the event, and where the registry found it.
 *
 * @param topic the topic it was published to (a stage's output or route, or a pipeline's input for a root)
 */
public record VersionEntry(ModelVersion version, String topic, int partition, long offset) {
    public String id() {
        return version.getId();
    }

    public String lineage() {
        return version.getLineage();
    }

    /** The data set its metrics were measured on; null when it says none. */
    public String dataset() {
        return version.getMetrics().getDataset();
    }

    public OptionalDouble metric(String name) {
        Double value = metrics().get(name);
        return value == null || value.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    public Map<String, Double> metrics() {
        return version.getMetrics().getValues();
    }
}
