package dev.topiary.nn.model;

/**
 * A model artifact could not be turned into a network: not a zip, corrupt, missing entries, or a
 * configuration DL4J rejects. Unchecked because no caller can repair the bytes; a stage sends the
 * input to its dead-letter topic with this message, which names the entry and what was wrong.
 */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
