package dev.topiary.grower.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.grower.wider.Widening;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.train.Augmentation;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole progressive growth path (quarter width, grown to half, grown to the target) with its
 * controls, on real Fashion-MNIST rows: every row the compute-saved comparison reports is there,
 * the path keeps within half of scratch's FLOPs, each control spends about the path's at most, and
 * every network it grew learned.
 */
class GrowthPathTest {
    private static final int EPOCHS = 4;

    @Test
    void aProgressivePathStaysWithinHalfOfScratchsFlopsAndReportsEveryRow() {
        Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL).limit(1200, 500);
        ComputeSavedBench bench = new ComputeSavedBench(GrowthFamily.MLP, data, EPOCHS, 0, Augmentation.NONE,
                new PrintStream(OutputStream.nullOutputStream()));
        ComputeSavedBench.GrowthPlan plan = bench.defaultPlan(1, 1, null, Widening.Init.COPY, 0.01, true, 4);
        assertEquals(1, plan.grownEpochs(), "quarter 0.14 + half 0.36 of a target epoch, then 1 within half of 4");

        List<GrowBenchRow> rows = bench.run(List.of(plan));

        assertEquals(List.of("scratch", "grown", "control", "control quarter", "grown at F"),
                rows.stream().map(GrowBenchRow::name).toList());
        Map<String, Double> scratch = rows.get(0).values();
        Map<String, Double> grown = rows.get(1).values();
        double f = scratch.get("flops");
        assertEquals(f, grown.get("scratchFlops"));
        assertEquals(scratch.get("accuracy"), grown.get("scratchAccuracy"));
        assertTrue(grown.get("flops") <= 0.5 * f, grown + " within half of F = " + f);
        // its quarter- and half-width epochs alone cost (0.14 + 0.36) of a target epoch, an eighth of F: they are counted
        assertTrue(grown.get("flops") > 0.12 * f, grown + " counts every part of the path");
        assertTrue(grown.get("grownEpochs") > 0 && grown.get("grownEpochs") <= 1, "the target trained at most its m: " + grown);
        assertEquals(1.0, grown.get("quarterEpochs"));
        assertEquals(1.0, grown.get("smallEpochs"));
        for (GrowBenchRow control : rows.subList(2, 4)) {
            // a control's epochs are the path's FLOPs in its own epochs, rounded, and its holdout stop may end it sooner
            assertTrue(control.values().get("flops") <= grown.get("flops") * 1.25, control + " spends about the path's FLOPs at most");
        }
        Map<String, Double> atF = rows.get(4).values();
        assertTrue(atF.get("flops") > 0.5 * f && atF.get("flops") <= f, "the equal-budget path spends most of F: " + atF);
        for (GrowBenchRow row : rows) {
            assertTrue(row.values().get("accuracy") > 0.5, row + " learned (10 classes)");
            assertTrue(row.values().get("holdoutAccuracy") > 0.5, row + " learned on the holdout");
        }
        assertTrue(grown.get("parentAccuracy") > 0.5, "the half-width network grown from the quarter-width one learned: " + grown);
    }
}
