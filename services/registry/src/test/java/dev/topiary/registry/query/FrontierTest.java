package dev.topiary.registry.query;

import static dev.topiary.registry.query.HandMadeLineage.VERSIONS;
import static dev.topiary.registry.query.HandMadeLineage.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrontierTest {
    @Test
    void macsFrontierKeepsTheUnbeatenAndExactTiesOnePerDataset() {
        var fronts = Frontier.byDataset(VERSIONS, CostMetric.MACS);
        assertEquals(List.of("fm", "mnist"), List.copyOf(fronts.keySet()));
        assertEquals(List.of("p4", "p2", "p1", "p5", "t2"), ids(fronts.get("fm")));
        assertEquals(List.of("q"), ids(fronts.get("mnist")));
    }

    @Test
    void onLatencyTheTieBreaksAndTheSlowerTwinIsBeaten() {
        assertEquals(Map.of("fm", List.of("p4", "p2", "p1", "t2"), "mnist", List.of("q")),
                Map.of("fm", ids(Frontier.byDataset(VERSIONS, CostMetric.LATENCY_MS).get("fm")),
                        "mnist", ids(Frontier.byDataset(VERSIONS, CostMetric.LATENCY_MS).get("mnist"))));
    }

    @Test
    void versionsWithoutTheCostTakeNoPart() {
        assertEquals(Map.of(), Frontier.byDataset(VERSIONS, CostMetric.ARTIFACT_BYTES));
    }
}
