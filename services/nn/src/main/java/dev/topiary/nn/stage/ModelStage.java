package dev.topiary.nn.stage;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.threads.ModelWork;
import dev.topiary.runtime.stage.StageInput;
import dev.topiary.runtime.stage.StageOutput;
import dev.topiary.runtime.stage.StageReport;
import dev.topiary.runtime.stage.StageResult;
import dev.topiary.runtime.stage.Transformation;
import dev.topiary.surgery.graph.InputShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;

/**
 * What every DL4J-model service shares around its own change: load the artifact safely, resolve
 * the stage's data set and check the model fits it, apply the change, then measure the result on
 * the data set (accuracy, loss, params, nonzeros, MACs, layers, latency) and package it. Services
 * differ only in their {@link ModelChange}. A dry run ({@link #looking}) stops after the checks and
 * reports what its {@link ModelLook} found instead.
 *
 * <p>Every version it makes records the data set's holdout as its selection split: training left
 * those rows out, and any choice the change made was made on them. The whole job holds the
 * {@link ModelWork} lease (the runner has taken it already; this also puts back the native thread
 * settings the job changed).
 *
 * <p>A stage fed sets (a merge behind a gatherer) uses {@link #ofSets}: every parent is loaded and
 * checked against the data set, in the parents' order (sorted by id).
 */
public final class ModelStage implements Transformation {
    private final ModelSetChange change;
    private final ModelLook look;
    private final boolean takesSets;

    public ModelStage(ModelChange change) {
        this((models, data, input) -> change.apply(models.get(0), data, input), null, false);
    }

    private ModelStage(ModelSetChange change, ModelLook look, boolean takesSets) {
        this.change = change;
        this.look = look;
        this.takesSets = takesSets;
    }

    /** A stage whose change sees every parent's network. */
    public static ModelStage ofSets(ModelSetChange change) {
        return new ModelStage(change, null, true);
    }

    /**
     * A dry run: the network is loaded and checked against the data set as for a change, then
     * {@code look} reports what it would do, and no version is made ({@link StageReport}).
     */
    public static ModelStage looking(ModelLook look) {
        return new ModelStage(null, look, false);
    }

    @Override
    public StageResult apply(StageInput input) throws Exception {
        try (ModelWork work = ModelWork.begin(input.stage() + " " + input.outputId(), input.cancellation()::isCancelled)) {
            return run(input);
        }
    }

    private StageResult run(StageInput input) throws Exception {
        if (!takesSets) {
            input.parent(); // a single-parent kind fed a set fails here, naming its members
        }
        List<Model> models = new ArrayList<>();
        for (StageInput.Parent parent : input.parents()) {
            models.add(SafeModelLoader.load(parent.artifact()).model());
        }
        if (input.dataset() == null) {
            throw new IllegalArgumentException("stage '" + input.stage() + "': " + ModelServiceKind.NO_DATASET);
        }
        Dataset data = DatasetCatalog.resolve(input.dataset());
        InputShape shape = InputCompatibility.check(models.get(0), data);
        for (Model m : models.subList(1, models.size())) {
            InputCompatibility.check(m, data);
        }
        if (look != null) {
            return new StageReport(look.report(models.get(0), data, input));
        }
        ChangedModel changed = change.apply(models, data, input);
        input.cancellation().check();
        byte[] bytes = changed.artifact() != null ? changed.artifact() : ModelArtifacts.save(changed.model(), true);
        Map<String, Double> metrics = new TreeMap<>(ModelMetrics.evaluate(changed.model(), data, true));
        metrics.putAll(changed.extraMetrics());
        return new StageOutput(changed.kind(), bytes, ModelEvents.format(changed.model()), metrics, data.name(),
                ModelEvents.architecture(changed.model(), shape), changed.labels(), data.holdoutDescription());
    }
}
