package dev.topiary.runtime.soak;

import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.Versions;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.stage.ProgressPublisher;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.stage.StageRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service process of the soak, run by {@link ChaosSoak} in a JVM of its own so it can be
 * SIGKILLed: one runner for each stage of the chain. Args: bootstrap, pipeline name, instance id.
 * The instance id is the process's slot, kept across restarts, so a restarted process fences its
 * killed predecessor's open transactions at once (as the README advises for real deployments).
 */
public final class SoakWorker {
    private SoakWorker() {}

    public static void main(String[] args) throws InterruptedException {
        // a killed member's partitions move on after 6 s instead of Kafka's default 45 s
        KafkaSettings settings = KafkaSettings.of(args[0]).with(Map.of(
                "session.timeout.ms", 6000, "heartbeat.interval.ms", 1000));
        SoakPipeline pipeline = new SoakPipeline(args[1]);
        ProgressPublisher progress = new ProgressPublisher(settings);
        List<Thread> threads = new ArrayList<>();
        for (StageBinding binding : pipeline.bindings()) {
            StageRunner runner = new StageRunner(binding, SoakPipeline.passThrough(), settings,
                    Artifacts.kafka(settings, Artifacts.DEFAULT_MAX_BYTES), Artifacts.DEFAULT_MAX_BYTES, args[2],
                    Versions.TOPIARY, progress, RetryPolicy.DEFAULT);
            Thread t = new Thread(runner, "soak-" + binding.stage());
            t.start();
            threads.add(t);
        }
        System.out.println("READY");
        for (Thread t : threads) {
            t.join();
        }
    }
}
