package dev.topiary.nn.stage;

import dev.topiary.nn.data.Dataset;
import dev.topiary.runtime.stage.StageInput;
import org.deeplearning4j.nn.api.Model;

/** The one thing a model service does differently from the others: change the network. */
@FunctionalInterface
public interface ModelChange {
    ChangedModel apply(Model model, Dataset data, StageInput input) throws Exception;
}
