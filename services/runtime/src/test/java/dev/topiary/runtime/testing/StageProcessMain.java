package dev.topiary.runtime.testing;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.stage.StageBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test-copy stage in a process of its own, so a test can kill it with SIGKILL.
 * Args: bootstrap, pipeline, stage, input topic, output topic, sleepMs, instance id.
 */
public final class StageProcessMain {
    public static void main(String[] args) throws Exception {
        KafkaSettings settings = KafkaSettings.of(args[0]).with(Map.of(
                "session.timeout.ms", 6000, "heartbeat.interval.ms", 1000));
        StageBinding binding = new StageBinding(args[1], args[2], CopyKind.NAME, List.of(args[3]), Set.of(args[4]),
                Map.of("sleepMs", Long.parseLong(args[5])), "none", (m, p) -> args[4]);
        var transformation = new CopyKind().create(new dev.topiary.runtime.stage.StageParams(args[2], binding.params()));
        var progress = new dev.topiary.runtime.stage.ProgressPublisher(settings);
        var runner = new dev.topiary.runtime.stage.StageRunner(binding, transformation, settings,
                dev.topiary.runtime.artifact.Artifacts.kafka(settings, 1L << 30), 1L << 30, args[6], "test", progress,
                dev.topiary.runtime.stage.RetryPolicy.DEFAULT);
        System.out.println("READY");
        runner.run();
    }
}
