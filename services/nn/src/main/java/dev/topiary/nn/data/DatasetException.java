package dev.topiary.nn.data;

/**
 * A data set could not be found, read or used, with a message that names the file (or data set)
 * and what was wrong with it. Unchecked because callers cannot recover locally: a stage turns it
 * into a dead letter and a CLI prints it, and for both the message is the whole story.
 */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
