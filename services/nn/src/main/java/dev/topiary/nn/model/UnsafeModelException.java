package dev.topiary.nn.model;

/**
 * A model artifact was refused before DL4J saw it, because reading it could run foreign code or
 * exhaust memory: a disallowed serialized class, an unknown zip entry, or a size, entry-count or
 * compression-ratio limit exceeded. A subtype of {@link ModelLoadException} so that callers who
 * only care that the input is bad catch one type, while tests and logs can tell an attack from
 * a corrupt file.
 */
public class UnsafeModelException extends ModelLoadException {

    public UnsafeModelException(String message) {
        super(message);
    }

    public UnsafeModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
