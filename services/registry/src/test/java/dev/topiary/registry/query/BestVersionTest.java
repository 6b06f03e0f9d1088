package dev.topiary.registry.query;

import static dev.topiary.registry.query.HandMadeLineage.VERSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BestVersionTest {
    @Test
    void referenceIsTheMostAccurateTrainedVersion() {
        assertEquals("t2", BestVersion.reference(VERSIONS).orElseThrow().id());
    }

    @Test
    void cheapestWithinOnePointOfTheReference() {
        // floor 0.91 - 0.01 = 0.90: t1, t2, p1, p5 qualify (p2 at 0.899 does not; q is on other data)
        BestVersion.Choice c = BestVersion.find(VERSIONS, CostMetric.LATENCY_MS, 0.01).orElseThrow();
        assertEquals("p1", c.chosen().id());
        assertEquals("t2", c.reference().id());
        assertEquals(4, c.candidates());
    }

    @Test
    void aWiderBudgetAdmitsTheCheaperVersion() {
        assertEquals("p2", BestVersion.find(VERSIONS, CostMetric.LATENCY_MS, 0.02).orElseThrow().chosen().id());
        assertEquals("p4", BestVersion.find(VERSIONS, CostMetric.LATENCY_MS, 0.07).orElseThrow().chosen().id());
    }

    @Test
    void noBudgetLeavesTheReference() {
        assertEquals("t2", BestVersion.find(VERSIONS, CostMetric.LATENCY_MS, 0.0).orElseThrow().chosen().id());
    }

    @Test
    void equalCostAndAccuracyGoesToTheSmallerId() {
        assertEquals("p1", BestVersion.find(VERSIONS, CostMetric.MACS, 0.01).orElseThrow().chosen().id());
    }

    @Test
    void aLineageWithoutATrainedVersionHasNoBest() {
        assertTrue(BestVersion.find(List.of(VERSIONS.get(0)), CostMetric.MACS, 0.5).isEmpty());
    }
}
