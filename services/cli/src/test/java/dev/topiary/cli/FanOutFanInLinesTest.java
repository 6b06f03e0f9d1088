package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.GatheringRef;
import dev.topiary.events.MatrixJobRef;
import dev.topiary.events.ModelSet;
import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import dev.topiary.events.SetState;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.events.VersionJson;
import java.time.Instant;
import java.util.Objects;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code topiary watch} prints for matrix jobs as they finish, sets filling up and sets gathered. */
class FanOutFanInLinesTest {
    static {
        Objects.requireNonNull(Events.MODEL_SET); // trusts Topiary's event classes, as any process that reads events does
    }

    private static Progress beat(ProgressState state, MatrixJobRef job, GatheringRef gathering, String message) {
        return new Progress("v-out", "v-in", "p", "s", state, 0, 0, 0, 0, null, null, message, Instant.EPOCH, job, gathering);
    }

    @Test
    void aMatrixJobThatFinishesGetsALineSayingWhichCombination() {
        MatrixJobRef job = new MatrixJobRef(2, 5, "{\"seed\":3}");
        ProgressBars bars = new ProgressBars(System.out);
        assertNull(bars.update(beat(ProgressState.RUNNING, job, null, null)), "running: a bar, no line");
        assertEquals("  matrix p/s job 3/5 {\"seed\":3} done: v-out", bars.update(beat(ProgressState.DONE, job, null, null)));
        assertEquals("  matrix p/s job 3/5 {\"seed\":3} failed: boom",
                ProgressBars.finished(beat(ProgressState.FAILED, job, null, "boom")));
        assertNull(ProgressBars.finished(beat(ProgressState.DONE, null, null, null)), "other work: no line");
    }

    @Test
    void aStageThatReportedInsteadOfPublishingGetsALineWithTheReport() {
        assertEquals("  report p/s on v-in: dry run: would cut block2",
                ProgressBars.finished(beat(ProgressState.DONE, null, null, "dry run: would cut block2")));
    }

    @Test
    void aSetBeingGatheredIsABarOfArrivedOverCountAndALineWhenItCloses() {
        GatheringRef three = new GatheringRef("parent", "v-a", 3, 1, 5);
        String bar = ProgressBars.line(beat(ProgressState.RUNNING, null, three, null));
        assertTrue(bar.contains("p/s gathering by parent v-a [##################............] 3 of 5 arrived, 1 failed"), bar);
        assertEquals("  gathered p/s by parent v-a: 4 of 5 arrived, 1 failed (1 of 5 matrix jobs failed, 4 arrived)",
                ProgressBars.finished(beat(ProgressState.DONE, null, new GatheringRef("parent", "v-a", 4, 1, 5),
                        "1 of 5 matrix jobs failed, 4 arrived")));
    }

    @Test
    void aGatheredSetIsOneLine() {
        ModelSet set = ModelSet.newBuilder().setId("s-1").setPipeline("p").setStage("s").setBy("parent").setKey("v-a")
                .setState(SetState.PARTIAL).setMembers(List.of()).setExpected(5).setArrived(0).setFailed(0).setMin(1)
                .setReason("within 30m passed with 0 of 5").setFirstArrivedAt(Instant.EPOCH).build();
        assertEquals("s-1  p/s  PARTIAL 0 of 5 by parent v-a  (within 30m passed with 0 of 5)  members=", VersionLine.of(set));
        assertTrue(VersionJson.of(set).contains("\"state\":\"PARTIAL\""), VersionJson.of(set));
    }
}
