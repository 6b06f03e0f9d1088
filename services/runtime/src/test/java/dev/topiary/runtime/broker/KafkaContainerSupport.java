package dev.topiary.runtime.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka in a Docker container (Testcontainers) for tests that want a broker outside this JVM, used
 * only when a Docker engine answers and has the image. Where either is missing,
 * {@link #assumeDocker()} skips the calling test with the reason (at once where there is no engine, within
 * {@link #PROBE_TIMEOUT} where one does not answer) and
 * never fails it. {@code .ci/run} starts an engine and makes the image with
 * {@code scripts/docker-engine.sh} and {@code scripts/container-images.sh}.
 *
 * <p>The image is Topiary's own {@value #DEFAULT_IMAGE} (no registry is reachable from CI): Kafka's
 * jars from Maven Central behind the official image's entry point, so {@link KafkaContainer} drives
 * it as a compatible substitute for {@code apache/kafka}. {@code TOPIARY_KAFKA_IMAGE} names another
 * (e.g. {@code apache/kafka:4.4.0} where Docker Hub is reachable).
 *
 * <pre>{@code
 * @BeforeAll static void docker() { KafkaContainerSupport.assumeDocker(); }
 * @Test void x() { String bootstrap = KafkaContainerSupport.sharedBootstrapServers(); ... }
 * }</pre>
 *
 * <p>{@link #sharedBootstrapServers()} starts one container per test JVM, on first use, and stops it
 * when the JVM exits (Testcontainers' reaper container is off where its image cannot be had);
 * {@link #newContainer()} gives a private one to start and stop yourself.
 */
public final class KafkaContainerSupport {

    static final String DEFAULT_IMAGE = "topiary/kafka:4.4.0";
    /** The image: KRaft single node, {@value #DEFAULT_IMAGE} unless {@code TOPIARY_KAFKA_IMAGE} says otherwise. */
    public static final DockerImageName IMAGE = DockerImageName
            .parse(System.getenv().getOrDefault("TOPIARY_KAFKA_IMAGE", DEFAULT_IMAGE))
            .asCompatibleSubstituteFor("apache/kafka");
    /** How long the Docker probe may take before we decide there is no engine. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private static volatile Boolean available;
    private static volatile String reason = "not probed yet";
    private static KafkaContainer shared;
    private static volatile boolean skipReported;

    private KafkaContainerSupport() {
    }

    /** True when a Docker engine answers; probed once per JVM, bounded by {@link #PROBE_TIMEOUT}. */
    public static boolean dockerAvailable() {
        Boolean a = available;
        if (a == null) {
            synchronized (KafkaContainerSupport.class) {
                if (available == null) {
                    available = probe();
                }
                a = available;
            }
        }
        return a;
    }

    /** Why Docker is not available (or "available"). */
    public static String dockerStatus() {
        dockerAvailable();
        return reason;
    }

    /** Skips the calling test (or class, from {@code @BeforeAll}) with the reason when there is no Docker. */
    public static void assumeDocker() {
        boolean ok = dockerAvailable();
        String message = "Skipped: needs a Docker engine for Kafka in a container (" + IMAGE + "): " + reason;
        if (!ok && !skipReported) {
            skipReported = true;
            System.err.println("[KafkaContainerSupport] " + message);
        }
        Assumptions.assumeTrue(ok, message);
    }

    /** A new, unstarted Kafka container; skips the calling test when there is no Docker. */
    public static KafkaContainer newContainer() {
        assumeDocker();
        return new KafkaContainer(IMAGE)
                .withEnv("KAFKA_LOG_RETENTION_MS", "-1")
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(EmbeddedKafkaBroker.MESSAGE_MAX_BYTES))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withStartupTimeout(Duration.ofMinutes(2));
    }

    /**
     * The bootstrap address of a Kafka container shared by every test in this JVM, started on first
     * use; skips the calling test when there is no Docker.
     */
    public static synchronized String sharedBootstrapServers() {
        assumeDocker();
        if (shared == null) {
            KafkaContainer c = newContainer();
            c.start();
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "stop-kafka-container"));
            shared = c;
        }
        return shared.getBootstrapServers();
    }

    // ---------------------------------------------------------------------------------------------

    private static boolean probe() {
        // Testcontainers' own discovery is the authority (DOCKER_HOST, ~/.testcontainers.properties,
        // docker contexts, the usual sockets), but it is bounded here so a hung engine cannot stall tests.
        CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> {
            try {
                if (!DockerClientFactory.instance().isDockerAvailable()) {
                    return false;
                }
                if (!imagePresent()) {
                    reason = "the engine has no image " + IMAGE.asCanonicalNameString()
                            + " (scripts/container-images.sh makes it)";
                    return false;
                }
                return true;
            } catch (RuntimeException | LinkageError e) {
                reason = "Testcontainers could not probe Docker: " + e;
                return false;
            }
        });
        try {
            boolean ok = f.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (ok) {
                reason = "available";
            } else if ("not probed yet".equals(reason)) {
                reason = "no Docker engine found" + hint();
            }
            return ok;
        } catch (TimeoutException e) {
            f.cancel(true);
            reason = "no answer from a Docker engine within " + PROBE_TIMEOUT.toSeconds() + " s" + hint();
            return false;
        } catch (ExecutionException e) {
            reason = "Docker probe failed: " + e.getCause();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted while probing Docker";
            return false;
        }
    }

    /** No registry may be reachable, so a missing image means skip, not a pull that fails the test. */
    private static boolean imagePresent() {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE.asCanonicalNameString()).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String hint() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return " (DOCKER_HOST=" + host + ")";
        }
        return Files.exists(Path.of("/var/run/docker.sock"))
                ? " (/var/run/docker.sock exists but did not answer)"
                : " (DOCKER_HOST unset, no /var/run/docker.sock)";
    }
}
