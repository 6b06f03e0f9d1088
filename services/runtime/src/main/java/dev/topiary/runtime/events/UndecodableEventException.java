package dev.topiary.runtime.events;

/** A record on a topic that is not an event this Topiary can read. */
public class UndecodableEventException extends RuntimeException {
    public UndecodableEventException(String message) {
        super(message);
    }

    public UndecodableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
