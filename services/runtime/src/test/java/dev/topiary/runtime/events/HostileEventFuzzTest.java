package dev.topiary.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A thousand damaged event records through the decoder every stage uses: each decodes (into some
 * event) or is refused with {@link UndecodableEventException} and a reason, within a time bound;
 * nothing else escapes (an absurd declared length must not become an OutOfMemoryError).
 */
class HostileEventFuzzTest {
    static final long SEED = 16;
    private static final int PER_KIND = 125;

    @Test
    void everyDamagedEventDecodesOrIsRefusedWithAReason() throws Exception {
        HostileEvents hostile = new HostileEvents(Events.MODEL_VERSION.encode(SingleObjectEncodingTest.sample()), SEED);
        Map<HostileEvents.Kind, int[]> outcomes = new EnumMap<>(HostileEvents.Kind.class); // refused, decoded
        List<String> failures = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-decode");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try {
            for (HostileEvents.Kind kind : HostileEvents.Kind.values()) {
                int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
                for (int i = 0; i < PER_KIND; i++) {
                    HostileEvents.Mutant m = hostile.next(kind);
                    Future<ModelVersion> f = worker.submit(() -> Events.MODEL_VERSION.decode(m.value()));
                    try {
                        f.get(10, TimeUnit.SECONDS);
                        counts[1]++;
                    } catch (TimeoutException e) {
                        failures.add(kind + " #" + i + " (" + m.description() + "): hung");
                        worker.shutdownNow();
                        worker = Executors.newSingleThreadExecutor();
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof UndecodableEventException u && u.getMessage() != null) {
                            counts[0]++;
                        } else {
                            failures.add(kind + " #" + i + " (" + m.description() + "): threw " + e.getCause());
                        }
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        StringBuilder table = new StringBuilder(String.format("%-18s %6s %8s %8s%n", "kind", "tried", "refused", "decoded"));
        outcomes.forEach((k, c) -> table.append(String.format("%-18s %6d %8d %8d%n", k, c[0] + c[1], c[0], c[1])));
        System.out.printf("[HostileEventFuzzTest] %d damaged events (seed %d) in %.1f s%n%s",
                PER_KIND * HostileEvents.Kind.values().length, SEED, (System.nanoTime() - t0) / 1e9, table);
        assertTrue(failures.isEmpty(), failures.size() + " mishandled:\n" + String.join("\n", failures));
        assertEquals(PER_KIND, outcomes.get(HostileEvents.Kind.WRONG_FINGERPRINT)[0], "an unknown fingerprint decoded");
    }
}
