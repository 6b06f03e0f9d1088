package dev.topiary.nn.stage;

import dev.topiary.events.OperationKind;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * A changed network and how to describe it.
 *
 * @param artifact the bytes to store, when the service writes them its own way (e.g. a compact
 *     sparse zip); null to save the model with ModelSerializer including its updater state
 * @param extraMetrics service-specific measurements to publish beside the standard ones
 */
public record ChangedModel(Model model, OperationKind kind, byte[] artifact, Map<String, Double> extraMetrics,
                           Map<String, String> labels) {
    public static ChangedModel of(Model model, OperationKind kind) {
        return new ChangedModel(model, kind, null, Map.of(), Map.of());
    }
}
