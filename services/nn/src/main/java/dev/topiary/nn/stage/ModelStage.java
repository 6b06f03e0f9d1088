package dev.topiary.nn.stage;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.LoadedModel;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.threads.ModelWork;
import dev.topiary.runtime.stage.StageInput;
import dev.topiary.runtime.stage.StageOutput;
import dev.topiary.runtime.stage.Transformation;
import dev.topiary.surgery.graph.InputShape;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every DL4J-model service shares around its own change: load the artifact safely, resolve
 * the stage's data set and check the model fits it, apply the change, then measure the result on
 * the data set (accuracy, loss, params, nonzeros, MACs, layers, latency) and package it. Services
 * differ only in their {@link ModelChange}.
 *
 * <p>Every version it makes records the data set's holdout as its selection split: training left
 * those rows out, and any choice the change made was made on them. The whole job holds the
 * {@link ModelWork} lease (the runner has taken it already; this also puts back the native thread
 * settings the job changed).
 */
public final class ModelStage implements Transformation {
    private final ModelChange change;

    public ModelStage(ModelChange change) {
        this.change = change;
    }

    @Override
    public StageOutput apply(StageInput input) throws Exception {
        try (ModelWork work = ModelWork.begin(input.stage() + " " + input.outputId(), input.cancellation()::isCancelled)) {
            return run(input);
        }
    }

    private StageOutput run(StageInput input) throws Exception {
        LoadedModel loaded = SafeModelLoader.load(input.artifact());
        if (input.dataset() == null) {
            throw new IllegalArgumentException("stage '" + input.stage() + "' names no dataset (set 'dataset:' on the pipeline or the stage)");
        }
        Dataset data = DatasetCatalog.resolve(input.dataset());
        InputShape shape = InputCompatibility.check(loaded.model(), data);
        ChangedModel changed = change.apply(loaded.model(), data, input);
        input.cancellation().check();
        byte[] bytes = changed.artifact() != null ? changed.artifact() : ModelArtifacts.save(changed.model(), true);
        Map<String, Double> metrics = new TreeMap<>(ModelMetrics.evaluate(changed.model(), data, true));
        metrics.putAll(changed.extraMetrics());
        return new StageOutput(changed.kind(), bytes, ModelEvents.format(changed.model()), metrics, data.name(),
                ModelEvents.architecture(changed.model(), shape), changed.labels(), data.holdoutDescription());
    }
}
