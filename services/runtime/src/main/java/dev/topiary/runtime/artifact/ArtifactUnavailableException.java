package dev.topiary.runtime.artifact;

/**
 * The artifact store did not answer (a broker that timed out, a volume that cannot be read):
 * nothing is known to be wrong with the artifact, so the stage runner tries the input again later.
 */
public class ArtifactUnavailableException extends ArtifactException {
    public ArtifactUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
