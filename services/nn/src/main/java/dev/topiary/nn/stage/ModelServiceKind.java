package dev.topiary.nn.stage;

import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.runtime.stage.ServiceKind;

/**
 * A service kind whose stages read their data set through {@link ModelStage}: a pipeline's
 * {@code dataset:} is checked when the file is read, as the stage will resolve it, so a misspelt
 * name fails at its line instead of dead-lettering every input.
 */
public interface ModelServiceKind extends ServiceKind {
    /** Why a stage of such a kind cannot run without a data set, at validation and, as a guard, when it runs. */
    String NO_DATASET = "no data set to train and evaluate on: set 'dataset:' on the pipeline or the stage";

    @Override
    default void checkDataset(String dataset) {
        if (dataset == null) {
            throw new IllegalArgumentException(NO_DATASET);
        }
        DatasetCatalog.check(dataset);
    }
}
