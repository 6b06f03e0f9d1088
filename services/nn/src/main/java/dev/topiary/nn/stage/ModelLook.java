package dev.topiary.nn.stage;

import dev.topiary.nn.data.Dataset;
import dev.topiary.runtime.stage.StageInput;
import org.deeplearning4j.nn.api.Model;

/**
 * What a model service does on a dry run: look at the network and say what it would change, in one
 * line for the user ({@link dev.topiary.runtime.stage.StageReport}), without making a version.
 */
@FunctionalInterface
public interface ModelLook {
    String report(Model model, Dataset data, StageInput input) throws Exception;
}
