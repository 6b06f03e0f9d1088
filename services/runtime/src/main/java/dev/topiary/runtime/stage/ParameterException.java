package dev.topiary.runtime.stage;

/**
 * A stage parameter that is wrong, naming the stage and the key so that {@code pipelines validate}
 * can point at the key's line. The message is complete on its own (it is also what a dead letter
 * or a start-up error shows).
 */
public class ParameterException extends IllegalArgumentException {
    private final String stage;
    private final String key;

    /**
     * @param key the parameter, dotted for a nested one ({@code layers.dense1}); null when the problem
     *            is the combination of several
     */
    public ParameterException(String stage, String key, String message) {
        super(message);
        this.stage = stage;
        this.key = key;
    }

    public String stage() {
        return stage;
    }

    /** The parameter at fault, dotted for a nested one; null when no single key is. */
    public String key() {
        return key;
    }
}
