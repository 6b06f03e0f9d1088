package dev.topiary.runtime.artifact;

/**
 * An artifact uri that points outside every store this process serves (a file outside the
 * artifact directory, a topic other than the artifacts topic, an unknown scheme). Thrown before
 * the place is opened: an event from anyone on the bus must not make a service read its files.
 */
public class OutsideStoreException extends ArtifactException {
    public OutsideStoreException(String message) {
        super(message);
    }
}
