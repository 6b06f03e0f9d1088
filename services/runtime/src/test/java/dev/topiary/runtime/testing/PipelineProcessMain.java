package dev.topiary.runtime.testing;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.RetryPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one pipeline file needs, as {@code topiary up} hosts it (every stage kind and every
 * hosted kind on the classpath that the pipelines want), in a process of its own so a test can
 * kill it with SIGKILL. Args: bootstrap, pipeline file, data directory, instance id. Prints
 * {@code READY} once everything started.
 */
public final class PipelineProcessMain {
    public static void main(String[] args) throws Exception {
        KafkaSettings settings = KafkaSettings.of(args[0]).with(Map.of(
                "session.timeout.ms", 6000, "heartbeat.interval.ms", 1000));
        PipelineSet pipelines = PipelineSet.load(List.of(Path.of(args[1])), ServiceKinds.catalog());
        ServiceHost host = new ServiceHost(pipelines, ServiceKinds.available(), ServiceKinds.hostedWantedBy(pipelines),
                settings, ArtifactOptions.DEFAULT, args[3], RetryPolicy.DEFAULT, Path.of(args[2]), Map.of());
        System.out.println("READY");
        host.awaitTermination();
    }

    /** Starts it in a child JVM with this JVM's class path, its output in {@code log}. */
    public static Process start(String bootstrap, Path pipeline, Path dataDir, String instanceId, Path log)
            throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), PipelineProcessMain.class.getName(), bootstrap, pipeline.toString(),
                dataDir.toString(), instanceId);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }
}
