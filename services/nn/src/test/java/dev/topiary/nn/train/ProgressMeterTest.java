package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    private long now;

    @Test
    void reportsAtMostOncePerSecondWithAnEtaFromTheMeanStepTime() {
        List<double[]> reports = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onBatch(int epoch, int epochs, int batch, int batches, double loss, double etaSeconds) {
                reports.add(new double[] {epoch, batch, loss, etaSeconds});
            }
        };
        ProgressMeter meter = new ProgressMeter(listener, 2, 10, () -> now);
        long step = 300_000_000L; // 0.3 s per step: a report every fourth step
        for (int i = 0; i < 20; i++) {
            now += step;
            meter.stepDone(i / 10 + 1, i % 10 + 1, step, 0.5);
        }
        assertEquals(5, reports.size());
        double[] first = reports.get(0);
        assertEquals(1, first[0]);
        assertEquals(4, first[1]);
        assertEquals(0.5, first[2]);
        assertEquals(16 * 0.3, first[3], 1e-9, "16 steps left at 0.3 s");
    }
}
