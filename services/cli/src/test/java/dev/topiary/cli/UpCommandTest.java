package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.registry.client.RegistryClient;
import dev.topiary.runtime.testing.TallyKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code topiary up} with no pipeline, as a user starts it in one terminal to use the others: the
 * broker stays up until SIGTERM, the hosted services start with it (state under
 * {@code --data-dir}, their own {@code --service-option}s), the registry among them on the port
 * {@code --registry-port} gives and named on a {@code registry:} line, and all are closed when it stops.
 */
class UpCommandTest {
    private static final Pattern BOOTSTRAP = Pattern.compile("Kafka is up at (127\\.0\\.0\\.1:\\d+)");
    private static final Pattern REGISTRY = Pattern.compile("registry: (http://127\\.0\\.0\\.1:\\d+)\n");

    @Test
    void upWithoutPipelinesRunsUntilSigtermAndStopsItsHostedServices(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process up = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.topiary.cli.Main", "up", "--port", "0", "--data-dir", data.toString(), "--instance-id", "up-test",
                "--service-option", TallyKind.NAME + ".colour=green", "--registry-port", "0").redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            String bootstrap = awaitBootstrap(output, up);
            Thread.sleep(2000); // before, up returned at once when no pipeline was given
            assertTrue(up.isAlive(), "up stopped by itself:\n" + output);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("topiary.progress"),
                        "the broker serves clients");
            }
            String registry = awaitLine(output, up, REGISTRY);
            assertEquals(200, new RegistryClient(registry).get("/api/health").status(), "the registry answers at " + registry);
            Path state = TallyKind.stateDir(data);
            assertEquals("{" + TallyKind.NAME + ".colour=green}", Files.readString(state.resolve("started")));

            up.toHandle().destroy(); // SIGTERM (Process.destroy would also close the output we read)
            assertTrue(up.waitFor(60, TimeUnit.SECONDS), "up did not stop on SIGTERM:\n" + output);
            reader.join(30_000);
            assertTrue(Files.exists(state.resolve("closed")), "the hosted service was not closed:\n" + output);
            assertTrue(output.toString().contains("topiary stopped"), "exit " + up.exitValue() + ":\n" + output);
        } finally {
            up.destroyForcibly();
        }
    }

    private static String awaitLine(StringBuilder output, Process up, Pattern line) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (output) {
                Matcher m = line.matcher(output);
                if (m.find()) {
                    return m.group(1);
                }
            }
            if (!up.isAlive()) {
                throw new AssertionError("up exited with " + up.exitValue() + ":\n" + output);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line matching " + line + ":\n" + output);
    }

    private static String awaitBootstrap(StringBuilder output, Process up) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (output) {
                Matcher m = BOOTSTRAP.matcher(output);
                if (m.find() && output.indexOf("topiary is up") >= 0) {
                    return m.group(1);
                }
            }
            if (!up.isAlive()) {
                throw new AssertionError("up exited with " + up.exitValue() + ":\n" + output);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("up did not come up within 2 minutes:\n" + output);
    }
}
