package dev.topiary.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final StageSpec PRUNE = new StageSpec("prune", "prune", List.of("models.trained"), "models.pruned",
            Map.of(), List.of(
                    new Route(Condition.parse("accuracyDrop > 0.02"), "models.rejected", 0),
                    new Route(Condition.parse("accuracyDrop > 0.01"), "models.doubtful", 0),
                    new Route(Condition.parse("nonzeroParamsRatio < 0.2"), "models.small", 0)),
            null, 0);

    private static final Map<String, Double> PARENT = Map.of("accuracy", 0.90, "nonzeroParams", 1000.0);

    @Test
    void firstMatchingRouteWins() {
        // matches all three routes; the first listed decides
        Map<String, Double> worse = Map.of("accuracy", 0.85, "nonzeroParams", 100.0);
        assertEquals("models.rejected", Router.destination(PRUNE, worse, PARENT));
        // matches the second and third
        Map<String, Double> slightlyWorse = Map.of("accuracy", 0.885, "nonzeroParams", 100.0);
        assertEquals("models.doubtful", Router.destination(PRUNE, slightlyWorse, PARENT));
        assertEquals("models.doubtful", Router.matchingRoute(PRUNE, slightlyWorse, PARENT).orElseThrow().to());
    }

    @Test
    void noMatchGoesToTheStagesTo() {
        Map<String, Double> fine = Map.of("accuracy", 0.899, "nonzeroParams", 500.0);
        assertEquals("models.pruned", Router.destination(PRUNE, fine, PARENT));
        assertTrue(Router.matchingRoute(PRUNE, fine, PARENT).isEmpty());
    }

    @Test
    void withoutAParentConditionsOnTheParentDoNotMatch() {
        Map<String, Double> anything = Map.of("accuracy", 0.1, "nonzeroParams", 1.0);
        assertEquals("models.pruned", Router.destination(PRUNE, anything, null));
        assertEquals("models.pruned", Router.destination(PRUNE, anything, Map.of()));
    }

    @Test
    void aStageWithoutRoutesAlwaysUsesTo() {
        StageSpec train = new StageSpec("train", "train", List.of("models.new"), "models.trained", Map.of(), List.of(), null, 0);
        assertEquals("models.trained", Router.destination(train, Map.of(), null));
    }
}
