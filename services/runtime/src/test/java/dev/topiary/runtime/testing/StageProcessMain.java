package dev.topiary.runtime.testing;

import dev.topiary.runtime.artifact.ArtifactStore;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.artifact.KafkaArtifactStore;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.service.InstanceSlot;
import dev.topiary.runtime.stage.ProgressPublisher;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.stage.StageRunner;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test-copy stage in a process of its own, so a test can kill it with SIGKILL.
 * Args: bootstrap, pipeline, stage, input topic, output topic, sleepMs, instance id ({@code -}
 * for the default), and optionally an artifacts topic of the stage's own and {@code hang}, to make
 * its store hang inside the commit ({@link CommitHangingStore}).
 */
public final class StageProcessMain {
    public static void main(String[] args) throws Exception {
        KafkaSettings settings = KafkaSettings.of(args[0]).with(Map.of(
                "session.timeout.ms", 6000, "heartbeat.interval.ms", 1000));
        StageBinding binding = new StageBinding(args[1], args[2], CopyKind.NAME, List.of(args[3]), Set.of(args[4]),
                Map.of("sleepMs", Long.parseLong(args[5])), "none", (m, p) -> args[4]);
        String instance = args[6].equals("-") ? InstanceSlot.defaultId() : args[6];
        ArtifactStore artifacts = args.length > 7
                ? new KafkaArtifactStore(settings, args[7], 1L << 30)
                : Artifacts.kafka(settings, 1L << 30);
        if (args.length > 8 && args[8].equals("hang")) {
            artifacts = new CommitHangingStore(artifacts);
        }
        var progress = new ProgressPublisher(settings);
        var runner = new StageRunner(binding, RunningStage.copyOf(binding), settings, artifacts, 1L << 30, instance,
                "test", progress, RetryPolicy.DEFAULT);
        System.out.println("READY as " + instance);
        runner.run();
    }
}
