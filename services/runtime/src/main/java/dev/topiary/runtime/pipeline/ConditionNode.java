package dev.topiary.runtime.pipeline;

import java.util.Map;

/** The parsed form of a {@code when} expression: a small tree evaluated against a version's metrics. */
sealed interface ConditionNode {

    boolean test(Map<String, Double> metrics, Map<String, Double> parentMetrics);

    record Or(ConditionNode left, ConditionNode right) implements ConditionNode {
        @Override
        public boolean test(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
            return left.test(metrics, parentMetrics) || right.test(metrics, parentMetrics);
        }
    }

    record And(ConditionNode left, ConditionNode right) implements ConditionNode {
        @Override
        public boolean test(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
            return left.test(metrics, parentMetrics) && right.test(metrics, parentMetrics);
        }
    }

    record Not(ConditionNode inner) implements ConditionNode {
        @Override
        public boolean test(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
            return !inner.test(metrics, parentMetrics);
        }
    }

    /** {@code left OP right}, each side a metric or a number (at least one a metric). */
    record Comparison(Operand left, Operator operator, Operand right) implements ConditionNode {
        /** False when either side's value is unknown, whatever the operator: see {@link Condition}. */
        @Override
        public boolean test(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
            Double a = left.valueIn(metrics, parentMetrics);
            Double b = right.valueIn(metrics, parentMetrics);
            return a != null && b != null && operator.apply(a, b);
        }
    }

    /** One side of a comparison: its value, or null when it cannot be known. */
    sealed interface Operand permits MetricTerm, Constant {
        Double valueIn(Map<String, Double> metrics, Map<String, Double> parentMetrics);
    }

    record Constant(double value) implements Operand {
        @Override
        public Double valueIn(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
            return value;
        }
    }

    enum Operator {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        static Operator of(String symbol) {
            for (Operator op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException(symbol);
        }

        boolean apply(double a, double b) {
            return switch (this) {
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
                case EQ -> a == b;
                case NE -> a != b;
            };
        }
    }
}
