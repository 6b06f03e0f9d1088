package dev.topiary.cli;

/** A mistake in what the user gave us; its message is all they need to see. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }
}
