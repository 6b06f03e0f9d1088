package dev.topiary.nn.stage;

import dev.topiary.nn.data.Dataset;
import dev.topiary.runtime.stage.StageInput;
import java.util.List;
import org.deeplearning4j.nn.api.Model;

/** A change made from several networks at once (a merge): one per parent, in the parents' order. */
@FunctionalInterface
public interface ModelSetChange {
    ChangedModel apply(List<Model> models, Dataset data, StageInput input) throws Exception;
}
