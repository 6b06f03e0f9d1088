package dev.topiary.nn.stage;

import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.runtime.stage.ServiceKind;

/**
 * A service kind whose stages read their data set through {@link ModelStage}: a pipeline's
 * {@code dataset:} is checked when the file is read, as the stage will resolve it, so a misspelt
 * name fails at its line instead of dead-lettering every input.
 */
public interface ModelServiceKind extends ServiceKind {
    @Override
    default void checkDataset(String dataset) {
        DatasetCatalog.check(dataset);
    }
}
