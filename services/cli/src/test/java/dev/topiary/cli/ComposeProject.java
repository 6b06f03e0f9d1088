package dev.topiary.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's {@code docker-compose.yml} run as a project of its own ({@code topiary-it-*},
 * which {@code scripts/docker-engine.sh stop} also sweeps up), with its variables set by the test.
 * Commands run with a time bound; a failure carries their output.
 */
final class ComposeProject implements AutoCloseable {
    private final Path root;
    private final String name;
    private final Map<String, String> variables;

    ComposeProject(Path root, String name, Map<String, String> variables) {
        this.root = root;
        this.name = name;
        this.variables = Map.copyOf(variables);
    }

    record Result(int exit, String output) {}

    /** {@code docker-compose -p NAME ARGS...}, failing unless it exits 0 within {@code timeoutSeconds}. */
    String compose(long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", name));
        command.addAll(List.of(args));
        return check(run(command, timeoutSeconds), command);
    }

    /** Any command (e.g. {@code docker inspect}) in the same environment. */
    Result run(List<String> command, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(variables);
        try {
            Process p = pb.start();
            // drained on its own thread, so a chatty build cannot block on a full pipe
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process died; what was read is what there is
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                reader.join(5_000);
                return new Result(-1, out + "\n(timed out after " + timeoutSeconds + " s)");
            }
            reader.join(5_000);
            return new Result(p.exitValue(), out.toString());
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** The health status Docker records for a service's container ("healthy", "starting", ...). */
    String health(String service) {
        String id = compose(30, "ps", "-q", service).trim();
        List<String> inspect = List.of("docker", "inspect", "-f", "{{.State.Health.Status}}", id);
        return check(run(inspect, 30), inspect).trim();
    }

    private static String check(Result r, List<String> command) {
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    /** Stops and removes the project's containers, network and volumes. */
    @Override
    public void close() {
        run(List.of("docker-compose", "-p", name, "down", "-v", "--remove-orphans", "-t", "5"), 120);
    }
}
