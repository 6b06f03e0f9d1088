package dev.topiary.cli;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.stage.ServiceKind;
import dev.topiary.runtime.stage.StageInput;
import dev.topiary.runtime.stage.StageOutput;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.Transformation;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stand-in for model work in {@code topiary bench pipeline}: keeps a CPU busy for
 * {@code spinMs} of its own CPU time (spinning, not sleeping, so it competes for the cores as
 * training does), then writes its parents' bytes joined, plus {@code tag}. No DL4J, no metrics.
 * Not on the service-kind list: only the benchmark hosts it.
 */
final class SpinKind implements ServiceKind {
    static final String NAME = "bench-spin";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "benchmark only: spins a CPU, then joins its parents' bytes";
    }

    @Override
    public Transformation create(StageParams params) {
        params.requireOnly(Set.of("spinMs", "tag"));
        long spinMs = params.getLong("spinMs", 200);
        String tag = params.getString("tag", "");
        return input -> apply(input, spinMs, tag);
    }

    private static StageOutput apply(StageInput input, long spinMs, String tag) {
        spin(spinMs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        input.parents().forEach(p -> out.writeBytes(p.artifact()));
        out.writeBytes(tag.getBytes(StandardCharsets.UTF_8));
        return new StageOutput(OperationKind.OTHER, out.toByteArray(), ModelFormat.OPAQUE, Map.of(), null, List.of(), Map.of());
    }

    /** Until this thread has used {@code ms} of CPU time; the arithmetic is returned so it cannot be optimised away. */
    static long spin(long ms) {
        long until = THREADS.getCurrentThreadCpuTime() + ms * 1_000_000;
        long x = 1;
        while (THREADS.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 20_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }
}
