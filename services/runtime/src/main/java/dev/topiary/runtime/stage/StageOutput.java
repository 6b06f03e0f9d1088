package dev.topiary.runtime.stage;

import dev.topiary.events.LayerSummary;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.OperationKind;
import java.util.List;
import java.util.Map;

/**
 * What a transformation made.
 *
 * @param kind the kind of change, e.g. TRAIN or FINETUNE
 * @param artifact the new artifact's bytes
 * @param format how to read them
 * @param metrics measured values (accuracy, params, macs, ...); the runner adds artifactBytes
 * @param metricsDataset the data set the metrics were measured on, or null
 * @param architecture one summary per layer
 * @param labels free labels to attach
 */
public record StageOutput(
        OperationKind kind,
        byte[] artifact,
        ModelFormat format,
        Map<String, Double> metrics,
        String metricsDataset,
        List<LayerSummary> architecture,
        Map<String, String> labels) {}
