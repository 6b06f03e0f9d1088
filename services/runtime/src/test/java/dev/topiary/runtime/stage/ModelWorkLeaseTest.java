package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One heavy job per process: two stages' jobs in one JVM take turns; a waiting job can be cancelled. */
class ModelWorkLeaseTest {
    private final KafkaSettings kafka = TestBroker.settings();

    /** When a job ran, by the clock of this JVM. */
    record Span(String stage, long start, long end) {}

    @Test
    void twoStagesJobsInOneProcessNeverOverlap() throws Exception {
        List<Span> spans = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        Transformation work = input -> {
            long start = System.nanoTime();
            firstStarted.countDown();
            Thread.sleep(800);
            spans.add(new Span(input.stage(), start, System.nanoTime()));
            return new StageOutput(OperationKind.OTHER, input.artifact(), ModelFormat.OPAQUE, Map.of(), "none", List.of(),
                    Map.of());
        };
        String inA = TestBroker.unique("in");
        String inB = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        try (RunningStage a = new RunningStage(binding(inA, out), work, kafka, 1);
             RunningStage b = new RunningStage(binding(inB, out), work, kafka, 1);
             TopicReader reader = new TopicReader(kafka)) {
            TextModels.publish(kafka, inA, "first");
            assertTrue(firstStarted.await(60, TimeUnit.SECONDS));
            long secondArrived = System.nanoTime();
            TextModels.publish(kafka, inB, "second"); // arrives while the first job runs
            reader.open(out, true);
            reader.awaitVersions(2, v -> true, Duration.ofSeconds(60));

            assertEquals(2, spans.size());
            Span first = spans.get(0);
            Span second = spans.get(1);
            assertTrue(secondArrived < first.end(), "the second input came in while the first job ran");
            assertTrue(second.start() >= first.end(), "the second job started " + (first.end() - second.start()) / 1e6
                    + " ms before the first ended");
        }
    }

    @Test
    void aHolderMayTakeItAgainAndAWaitingJobStopsWhenCancelled() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        try (ModelWorkLease.Held outer = ModelWorkLease.acquire("outer")) {
            try (ModelWorkLease.Held inner = ModelWorkLease.acquire("inner")) {
                assertTrue(ModelWorkLease.heldByCurrentThread());
            }
            assertTrue(ModelWorkLease.heldByCurrentThread(), "the inner release kept the outer hold");
            CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
                try (ModelWorkLease.Held never = ModelWorkLease.acquire("waiter", cancelled::get)) {
                    return null;
                } catch (Cancellation.JobCancelledException e) {
                    return e;
                }
            });
            Thread.sleep(300);
            assertFalse(waiter.isDone(), "waits while another thread holds the lease");
            cancelled.set(true);
            assertTrue(waiter.get(5, TimeUnit.SECONDS) instanceof Cancellation.JobCancelledException);
        }
        assertFalse(ModelWorkLease.heldByCurrentThread());
        assertThrows(Cancellation.JobCancelledException.class, () -> ModelWorkLease.acquire("late", () -> true));
    }

    private static StageBinding binding(String in, String out) {
        return new StageBinding("p", TestBroker.unique("heavy"), "test-heavy", List.of(in), Set.of(out), Map.of(), "none",
                (m, p) -> out);
    }
}
