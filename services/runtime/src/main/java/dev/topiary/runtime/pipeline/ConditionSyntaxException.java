package dev.topiary.runtime.pipeline;

/**
 * A {@code when} expression that does not parse. Carries the 1-based column so a pipeline error can
 * point into the expression, not just at its line.
 */
public class ConditionSyntaxException extends IllegalArgumentException {
    private final String expression;
    private final int column;
    private final String reason;

    public ConditionSyntaxException(String expression, int column, String reason) {
        super("column " + column + ": " + reason);
        this.expression = expression;
        this.column = column;
        this.reason = reason;
    }

    /** The whole source text that failed. */
    public String expression() {
        return expression;
    }

    /** 1-based column in {@link #expression()} where the problem was found. */
    public int column() {
        return column;
    }

    /** What is wrong, without the column. */
    public String reason() {
        return reason;
    }
}
