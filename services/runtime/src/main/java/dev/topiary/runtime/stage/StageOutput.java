package dev.topiary.runtime.stage;

import dev.topiary.events.LayerSummary;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.OperationKind;
import java.util.List;
import java.util.Map;

/**
 * What a transformation made: a new version (see {@link StageReport} for a stage that only looked).
 *
 * @param kind the kind of change, e.g. TRAIN or FINETUNE
 * @param artifact the new artifact's bytes
 * @param format how to read them
 * @param metrics measured values (accuracy, params, macs, ...); the runner adds artifactBytes
 * @param metricsDataset the data set the metrics were measured on, or null
 * @param architecture one summary per layer
 * @param labels free labels to attach; a null value removes a label the parents carried (one a
 *     stage has honoured, such as {@code grow.trainOnly})
 * @param selectionSplit the rows set aside for choosing (early stopping, searches) that this version
 *                       was never trained on, e.g. a data set's holdout; null when none applies
 */
public record StageOutput(
        OperationKind kind,
        byte[] artifact,
        ModelFormat format,
        Map<String, Double> metrics,
        String metricsDataset,
        List<LayerSummary> architecture,
        Map<String, String> labels,
        String selectionSplit) implements StageResult {

    /** An output that names no selection split. */
    public StageOutput(OperationKind kind, byte[] artifact, ModelFormat format, Map<String, Double> metrics,
                       String metricsDataset, List<LayerSummary> architecture, Map<String, String> labels) {
        this(kind, artifact, format, metrics, metricsDataset, architecture, labels, null);
    }
}
