package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.broker.KafkaContainerSupport;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.metrics.MetricNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's docker-compose.yml for real: Kafka and every stage service, each in its own
 * container from the project's image (built here from the jars Maven just packaged), become healthy
 * by their {@code topiary health} checks (merge and grow idle: the pipeline does not use them), and
 * a model published from this machine comes out of the pipeline trained, pruned and cut. Runs after {@code package} (failsafe), where a Docker engine,
 * docker-compose and the local images are there; skips with the reason otherwise.
 */
class ComposeIT {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final String JRE_IMAGE = "topiary/jre:17";

    @Test
    void aVersionPassesThroughTheComposedServices(@TempDir Path dir) throws Exception {
        KafkaContainerSupport.assumeDocker();
        ComposeProject probe = new ComposeProject(ROOT, "probe", Map.of());
        assumeTrue(probe.run(List.of("docker-compose", "version"), 30).exit() == 0,
                "Skipped: needs docker-compose (Debian package docker-compose)");
        assumeTrue(probe.run(List.of("docker", "image", "inspect", JRE_IMAGE), 30).exit() == 0,
                "Skipped: the engine has no image " + JRE_IMAGE + " (scripts/container-images.sh makes it)");

        int port = freePort();
        // the containers run as an unprivileged user: the pipeline folder must be readable to it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pipeline = dir.resolve("it.yaml");
        Files.writeString(pipeline, """
                pipeline: it
                dataset: fashion-mnist-small?train=1000&test=200
                stages:
                  - name: train
                    uses: train
                    from: models.new
                    to: models.trained
                    with: {epochs: 1, batchSize: 100, learningRate: 0.001, seed: 1}
                  - name: prune
                    uses: prune
                    from: models.trained
                    to: models.pruned
                    with: {method: magnitude, scope: global, sparsity: 0.5, schedule: oneshot, finetuneEpochs: 0}
                  - name: cut
                    uses: cut
                    from: models.pruned
                    to: models.cut
                    with: {criterion: last, blocks: 1, finetuneEpochs: 0}
                """);
        Files.setPosixFilePermissions(pipeline, PosixFilePermissions.fromString("rw-r--r--"));

        String project = "topiary-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (ComposeProject compose = new ComposeProject(ROOT, project, Map.of(
                "TOPIARY_KAFKA_IMAGE", KafkaContainerSupport.IMAGE.asCanonicalNameString(),
                "TOPIARY_BASE_IMAGE", JRE_IMAGE,
                "TOPIARY_KAFKA_PORT", String.valueOf(port),
                "TOPIARY_PIPELINES", dir.toString(),
                "TOPIARY_PIPELINE", "it.yaml"))) {
            try {
                long t0 = System.nanoTime();
                compose.compose(600, "build");
                long built = System.nanoTime();
                compose.compose(300, "up", "-d");
                // every stage kind's container, the unused ones (merge, grow) idle but healthy
                awaitHealthy(compose, "trainer", "pruner", "cutter", "merger", "grower");
                long healthy = System.nanoTime();

                KafkaSettings kafka = KafkaSettings.of("localhost:" + port);
                PipelinesValidateTest.Run published = PipelinesValidateTest.run("new", "mlp", "--layers", "784,32,32,10",
                        "--to", "models.new", "--bootstrap", kafka.bootstrap());
                assertEquals(0, published.exit(), published.err());
                String root = published.out().trim();

                try (TopicReader pruned = new TopicReader(kafka); TopicReader cut = new TopicReader(kafka)) {
                    pruned.open("models.pruned", true);
                    cut.open("models.cut", true);
                    ModelVersion v = pruned.awaitVersions(1, x -> x.getLineage().equals(root), Duration.ofMinutes(3)).get(0);
                    ModelVersion shorter = cut.awaitVersions(1, x -> x.getLineage().equals(root), Duration.ofMinutes(3)).get(0);
                    System.out.printf("[ComposeIT] build %.1f s, up and healthy %.1f s, new model to cut %.1f s%n",
                            (built - t0) / 1e9, (healthy - built) / 1e9, (System.nanoTime() - healthy) / 1e9);
                    assertEquals("prune", v.getStage());
                    assertTrue(v.getMetrics().getValues().get("nonzeroParams") < v.getMetrics().getValues().get("params"),
                            v.getMetrics().getValues().toString());
                    assertEquals(List.of(v.getId()), shorter.getParents());
                    assertTrue(shorter.getMetrics().getValues().get(MetricNames.LAYERS) < v.getMetrics().getValues().get(MetricNames.LAYERS),
                            shorter.getMetrics().getValues().toString());
                }
                // the health check, as Docker runs it, also reports the stage's lag: nothing left waiting
                String health = compose.compose(60, "exec", "-T", "trainer", "topiary", "health", "--uses", "train",
                        "--pipeline", "/pipelines/it.yaml", "--bootstrap", "kafka:9092");
                assertTrue(health.lines().anyMatch(l -> l.startsWith("it/train") && l.endsWith(" 0  ok")), health);
            } catch (AssertionError | RuntimeException e) {
                System.err.println(compose.run(List.of("docker-compose", "-p", project, "logs", "--no-color", "--tail", "60"), 60)
                        .output());
                throw e;
            }
        }
    }

    /**
     * Waits until every service is healthy. An "unhealthy" on the way is not the end: Docker marks a
     * container healthy again at its next passing check, and on a busy host a JVM's first checks
     * can time out; a service that never gets there fails at the deadline, naming its last status.
     */
    private static void awaitHealthy(ComposeProject compose, String... services) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        for (String service : services) {
            String status;
            while (!(status = compose.health(service)).equals("healthy")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError(service + " is " + status + ", not healthy, after 300 s");
                }
                Thread.sleep(1000);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
