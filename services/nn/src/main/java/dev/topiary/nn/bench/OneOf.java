package dev.topiary.nn.bench;

import java.util.List;
import java.util.Optional;

/**
 * The check of a {@code topiary bench} option whose value must be one of a list (a part for
 * {@code --only}, a schedule, an init), with the one message every module's options give for it:
 * {@code --init is copy or fresh, got sideways}. Each module throws its own picocli error with it;
 * this module does not depend on picocli.
 */
public final class OneOf {
    private OneOf() {
    }

    /** Empty when {@code value} is one of {@code allowed}, else the message naming the option and every allowed value. */
    public static Optional<String> problem(String option, List<String> allowed, String value) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException(option + ": no value is allowed, so none can be checked");
        }
        if (allowed.contains(value)) {
            return Optional.empty();
        }
        return Optional.of(option + " is " + listed(allowed) + ", got " + value);
    }

    /** {@code a, b or c}. */
    static String listed(List<String> allowed) {
        if (allowed.size() == 1) {
            return allowed.get(0);
        }
        return String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
    }
}
