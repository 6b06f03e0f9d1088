package dev.topiary.runtime.artifact;

/** An artifact that cannot be fetched, is too large, or does not match its hash. */
public class ArtifactException extends RuntimeException {
    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
