package dev.topiary.runtime.stage;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything a transformation may look at.
 *
 * <p>Most stages have one parent per input ({@link #version()}, {@link #artifact()}). A stage fed
 * sets of versions (a merge behind a gatherer) sees them all in {@link #parents()}, sorted by id,
 * so the order they arrived in changes nothing: not the output id, not what the transformation
 * sees. The first of them is the one the new version's {@code changes} and {@code accuracyDrop}
 * compare against.
 *
 * @param parents the input versions with their artifacts, sorted by id; at least one
 * @param outputId the id the output version will carry (deterministic, see {@code VersionIds})
 * @param pipeline the pipeline name
 * @param stage the stage name
 * @param params the stage's {@code with:} block (for a matrix job, overridden by its combination)
 * @param dataset the data set named by the stage or, failing that, by the pipeline
 * @param progress where long work reports how far it got
 * @param cancellation set when the input's partition was taken away; long work should stop early
 * @param gathered the set the parents were gathered as, for a stage with {@code gather} (whether it
 *                 is partial, how many were expected, arrived and failed); null otherwise
 */
public record StageInput(
        List<Parent> parents,
        String outputId,
        String pipeline,
        String stage,
        Map<String, Object> params,
        String dataset,
        ProgressReporter progress,
        Cancellation cancellation,
        ModelSet gathered) {

    /** One input version and its artifact, the SHA-256 already verified. */
    public record Parent(ModelVersion version, byte[] artifact) {}

    /** An input that was not gathered. */
    public StageInput(List<Parent> parents, String outputId, String pipeline, String stage, Map<String, Object> params,
                      String dataset, ProgressReporter progress, Cancellation cancellation) {
        this(parents, outputId, pipeline, stage, params, dataset, progress, cancellation, null);
    }

    public StageInput {
        parents = List.copyOf(parents);
        if (parents.isEmpty()) {
            throw new IllegalArgumentException("stage '" + stage + "': an input needs at least one parent version");
        }
    }

    /** The one parent of a single-parent stage; an error naming them all when there are several. */
    public Parent parent() {
        if (parents.size() != 1) {
            throw new IllegalArgumentException("stage '" + stage + "' takes one parent version, but this input has "
                    + parents.size() + ": " + parents.stream().map(p -> p.version().getId()).collect(Collectors.joining(", ")));
        }
        return parents.get(0);
    }

    /** The input event of a single-parent stage. */
    public ModelVersion version() {
        return parent().version();
    }

    /** The input artifact of a single-parent stage, its SHA-256 already verified. */
    public byte[] artifact() {
        return parent().artifact();
    }

    /** The parent that changes are measured against: the first by id. */
    public Parent first() {
        return parents.get(0);
    }

    public StageParams paramsView() {
        return new StageParams(stage, params);
    }
}
