package dev.topiary.runtime.stage;

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
}
