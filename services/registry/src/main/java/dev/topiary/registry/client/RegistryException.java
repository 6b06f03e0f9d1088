package dev.topiary.registry.client;

/** The registry could not be reached, or said no; the message says which and why. */
public final class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }
}
