package dev.topiary.surgery;

/**
 * A model an operation cannot handle correctly. Thrown instead of skipping the part, because a
 * silently half-changed or inconsistent model is worse than a clear refusal: the stage runner turns
 * the message into a dead letter, so it names the operation, the layer and its type.
 */
public final class UnsupportedModelException extends IllegalArgumentException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
