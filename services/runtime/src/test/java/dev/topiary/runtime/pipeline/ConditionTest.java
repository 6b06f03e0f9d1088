package dev.topiary.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {
    private static final Map<String, Double> PARENT = Map.of(
            "accuracy", 0.90, "loss", 0.30, "params", 1000.0, "nonzeroParams", 1000.0, "latencyMs", 20.0);
    private static final Map<String, Double> CHILD = Map.of(
            "accuracy", 0.87, "loss", 0.35, "params", 1000.0, "nonzeroParams", 100.0, "latencyMs", 10.0);

    private static boolean test(String expression) {
        return Condition.parse(expression).test(CHILD, PARENT);
    }

    @Test
    void comparesPlainAndDerivedMetrics() {
        assertTrue(test("accuracy < 0.9"));
        assertTrue(test("accuracyDrop > 0.02"));       // 0.90 - 0.87
        assertFalse(test("accuracyDrop > 0.05"));
        assertTrue(test("nonzeroParamsRatio <= 0.1"));  // 100 / 1000
        assertTrue(test("paramsRatio == 1"));
        assertTrue(test("lossChange > 0"));             // 0.35 - 0.30
        assertTrue(test("latencyMsChange == -10"));
        assertTrue(test("latencyMs != 11"));
        assertTrue(test("accuracy >= 0.87"));
    }

    @Test
    void numbersMayBeScientificSignedOrStartWithAPoint() {
        assertTrue(test("nonzeroParams < 1.5e2"));
        assertTrue(test("nonzeroParams > 9E+1"));
        assertTrue(test("accuracy > .5"));
        assertTrue(test("lossChange > -1e-3"));
        assertTrue(test("latencyMsChange < +0"));
    }

    @Test
    void andBindsTighterThanOr() {
        // true or (false and false): true only if 'and' groups first
        assertTrue(test("accuracy < 0.9 or accuracy > 0.95 and loss > 1"));
        // (true or false) and false would be false; true or (false and false) is true
        assertTrue(test("accuracy < 0.9 || accuracy > 0.95 && loss > 1"));
        assertFalse(test("(accuracy < 0.9 or accuracy > 0.95) and loss > 1"));
    }

    @Test
    void notBindsTighterThanAnd() {
        // (not true) and false; 'not (true and false)' would be true
        assertFalse(test("not accuracy < 0.95 and loss > 1"));
        assertFalse(test("not (accuracy < 0.95 and loss > 0.3)"));
        assertTrue(test("!(accuracy > 0.95)"));
        assertTrue(test("!!(accuracy < 0.95)"));
        assertTrue(test("not not accuracy < 0.95"));
    }

    @Test
    void comparisonsOnMissingValuesAreFalse() {
        Map<String, Double> noParent = Map.of();
        assertFalse(Condition.parse("accuracyDrop > 0.02").test(CHILD, noParent));
        assertFalse(Condition.parse("accuracyDrop <= 0.02").test(CHILD, noParent));
        assertFalse(Condition.parse("paramsRatio != 1").test(CHILD, null));
        assertFalse(Condition.parse("macs > 0").test(CHILD, PARENT), "macs not measured");
        assertFalse(Condition.parse("macs != 0").test(CHILD, PARENT), "even != is false on a missing value");
        assertFalse(Condition.parse("accuracy > 0").test(Map.of("accuracy", Double.NaN), PARENT), "NaN counts as missing");
        assertFalse(Condition.parse("paramsRatio > 0").test(CHILD, Map.of("params", 0.0)), "ratio to a zero parent");
        // the documented consequence: 'not' negates that false
        assertTrue(Condition.parse("not accuracyDrop > 0.02").test(CHILD, noParent));
        // a missing value does not stop other parts of the condition from matching
        assertTrue(Condition.parse("accuracyDrop > 0.02 or accuracy < 0.9").test(CHILD, null));
    }

    @Test
    void comparesTwoMetrics() {
        Map<String, Double> merged = Map.of("accuracy", 0.91, "bestParentAccuracy", 0.90, "meanParentAccuracy", 0.88);
        assertTrue(Condition.parse("accuracy > bestParentAccuracy").test(merged, PARENT));
        assertFalse(Condition.parse("accuracy < meanParentAccuracy").test(merged, PARENT));
        assertTrue(Condition.parse("0.9 <= accuracy and bestParentAccuracy > meanParentAccuracy").test(merged, PARENT));
        // derived terms on either side: the change of loss against the drop in accuracy
        assertTrue(test("lossChange > accuracyDrop"));                   // 0.05 > 0.03
        assertFalse(Condition.parse("accuracy > bestParentAccuracy").test(CHILD, PARENT), "missing side: false");
    }

    @Test
    void aStagesKindMayDeclareMetricsOfItsOwn() {
        MetricVocabulary prune = MetricVocabulary.with(java.util.List.of("prune.weightSparsity"));
        Map<String, Double> pruned = Map.of("prune.weightSparsity", 0.9, "accuracy", 0.85);
        assertTrue(Condition.parse("prune.weightSparsity >= 0.9 and accuracy > 0.8", prune).test(pruned, PARENT));
        assertTrue(Condition.parse("prune.weightSparsityChange > 0.5", prune)
                .test(pruned, Map.of("prune.weightSparsity", 0.2)));
        ConditionSyntaxException e = assertThrows(ConditionSyntaxException.class,
                () -> Condition.parse("prune.weightSparsity > 0.5"));
        assertTrue(e.reason().contains("unknown metric 'prune.weightSparsity'"), e.reason());
        assertTrue(e.reason().endsWith("a route may name only the metrics of its own stage's kind, and this is not a prune stage"),
                "another kind's metric says why: " + e.reason());
        ConditionSyntaxException typo = assertThrows(ConditionSyntaxException.class,
                () -> Condition.parse("prune.weightSparsty > 0.5", prune));
        assertFalse(typo.reason().contains("not a prune stage"), "a misspelt metric of the stage's own kind is a typo: " + typo.reason());
    }

    @Test
    void toStringIsTheSourceText() {
        String source = "accuracyDrop > 0.02 ||  not (paramsRatio<0.5)";
        assertEquals(source, Condition.parse(source).toString());
        assertEquals(Condition.parse(source), Condition.parse(source));
    }

    @Test
    void identifiersListsPlainDropChangeAndRatio() {
        assertTrue(Condition.identifiers().containsAll(java.util.List.of(
                "accuracy", "loss", "params", "nonzeroParams", "macs", "artifactBytes", "latencyMs",
                "accuracyDrop", "paramsChange", "paramsRatio", "latencyMsRatio")));
        assertTrue(Condition.identifiers().containsAll(java.util.List.of("layers", "generation", "bestParentAccuracy",
                "meanParentAccuracy", "generationChange")));
        assertEquals(11 + 1 + 11 + 11, Condition.identifiers().size());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "accuracyDrop >> 0.02      | 15 | expected a metric name or a number after '>' but found '>'",
            "acuracy > 0.9             | 1  | unknown metric 'acuracy' (known: accuracy, loss",
            "accuracy > 0.9 and acc < 1| 20 | unknown metric 'acc'",
            "accuracy = 0.9            | 10 | '=' is not an operator; compare with '=='",
            "accuracy > 2%             | 13 | percentages are not supported",
            "accuracy > high           | 12 | unknown metric 'high'",
            "prune.sparsity > 0.5      | 1  | unknown metric 'prune.sparsity'",
            "accuracy 0.9              | 10 | expected a comparison (<, <=, >, >=, ==, !=) after 'accuracy' but found '0.9'",
            "(accuracy > 0.9           | 16 | expected ')' to close the '(' at column 1 but found end of expression",
            "accuracy > 0.9)           | 15 | ')' without a matching '('",
            "accuracy > 0.9 loss < 1   | 16 | expected 'and', 'or' or end of expression but found 'loss'",
            "accuracy > 0.9 AND loss<1 | 16 | expected 'and', 'or' or end of expression but found 'AND'",
            "accuracy > 0.9 and        | 19 | expected a metric name, a number, 'not' or '(' but found end of expression",
            "0.9 < 1                   | 1  | a comparison needs a metric on at least one side, not two numbers",
            "accuracy > )              | 12 | expected a metric name or a number after '>' but found ')'",
            "accuracy > 1e             | 13 | malformed exponent",
            "accuracy & loss           | 10 | '&' alone is not an operator",
            "\"   \"                     | 1  | empty condition",
    })
    void syntaxErrorsCarryTheColumn(String expression, int column, String fragment) {
        ConditionSyntaxException e = assertThrows(ConditionSyntaxException.class, () -> Condition.parse(expression));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.reason().contains(fragment), e.reason());
        assertTrue(e.getMessage().startsWith("column " + column + ": "), e.getMessage());
    }
}
