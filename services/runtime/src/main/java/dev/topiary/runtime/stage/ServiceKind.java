package dev.topiary.runtime.stage;

import java.util.Set;

/**
 * A kind of service that pipelines name in {@code uses:}. Found with {@link java.util.ServiceLoader},
 * so adding a service module to the classpath is all it takes to make its kind usable.
 */
public interface ServiceKind {
    /** The name pipelines use, e.g. {@code train}. */
    String name();

    /** One line for help texts. */
    String description();

    /** The transformation for one stage; checks the stage's params and throws with a clear message if they are wrong. */
    Transformation create(StageParams params);

    /**
     * Checks a stage's params without running anything, for {@code pipelines validate} and start-up:
     * throws {@link ParameterException} (naming the key, so the file's line can be found) or another
     * IllegalArgumentException saying what is wrong. By default it calls {@link #create}, which
     * must then be cheap and free of side effects; a kind whose create is not overrides this.
     */
    default void check(StageParams params) {
        create(params);
    }

    /**
     * Checks the name of the data set a stage of this kind would read ({@code dataset:}, the
     * stage's own or the pipeline's; null when neither sets one), loading nothing, for
     * {@code pipelines validate} and start-up: throws an exception whose message says what is
     * wrong. By default everything passes: a kind that reads no data set has nothing to check.
     */
    default void checkDataset(String dataset) {}

    /**
     * The measurements of its own this kind publishes beside the standard ones, by their short
     * names; versions carry them as {@code <kind>.<name>} ({@code prune.weightSparsity}), and routes
     * of the kind's stages may name them.
     */
    default Set<String> metrics() {
        return Set.of();
    }
}
