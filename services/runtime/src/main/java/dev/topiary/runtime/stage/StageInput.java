package dev.topiary.runtime.stage;

import dev.topiary.events.ModelVersion;
import java.util.Map;

/**
 * Everything a transformation may look at.
 *
 * @param version the input event
 * @param artifact the input artifact, its SHA-256 already verified
 * @param outputId the id the output version will carry (deterministic, see {@code VersionIds})
 * @param pipeline the pipeline name
 * @param stage the stage name
 * @param params the stage's {@code with:} block
 * @param dataset the data set named by the stage or, failing that, by the pipeline
 * @param progress where long work reports how far it got
 * @param cancellation set when the input's partition was taken away; long work should stop early
 */
public record StageInput(
        ModelVersion version,
        byte[] artifact,
        String outputId,
        String pipeline,
        String stage,
        Map<String, Object> params,
        String dataset,
        ProgressReporter progress,
        Cancellation cancellation) {

    public StageParams paramsView() {
        return new StageParams(stage, params);
    }
}
