package dev.topiary.cli;

import dev.topiary.runtime.health.HealthProbe;
import dev.topiary.runtime.health.StageHealth;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.stage.StageBinding;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code topiary up --lag-every N}: one line per stage every N seconds with its lag, instances and partitions. */
final class LagReporter implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lag-reporter");
        t.setDaemon(true);
        return t;
    });
    private final HealthProbe probe;

    LagReporter(KafkaSettings settings, List<StageBinding> stages, Duration every, PrintStream out) {
        this.probe = new HealthProbe(settings, Duration.ofSeconds(10));
        timer.scheduleWithFixedDelay(() -> report(stages, out), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void report(List<StageBinding> stages, PrintStream out) {
        try {
            for (StageHealth s : probe.check(stages, Long.MAX_VALUE).stages()) {
                out.println("lag " + s.name() + ": " + s.lag() + " (" + s.members() + " instance(s), "
                        + s.assigned() + "/" + s.partitions() + " partitions" + (s.healthy() ? "" : "; " + s.problem()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.println("lag: cannot ask the broker: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        probe.close();
    }
}
