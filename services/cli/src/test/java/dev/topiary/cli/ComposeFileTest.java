package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose file runs every service kind the build has, so a pipeline composed from any of them is
 * served when it runs across containers (ComposeIT runs the file itself, where Docker is there).
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("../../docker-compose.yml");

    @Test
    void everyServiceKindHasItsContainer() throws Exception {
        Map<String, List<String>> commandByKind = new TreeMap<>(); // `topiary service KIND ...` per container
        Map<String, Object> file = new Yaml().load(Files.readString(COMPOSE));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) file.get("services");
        services.values().forEach(service -> {
            if (service.get("command") instanceof List<?> command && command.size() > 1 && "service".equals(command.get(0))) {
                commandByKind.put(String.valueOf(command.get(1)), command.stream().map(String::valueOf).toList());
            }
        });
        TreeSet<String> stageKinds = shipped(ServiceKinds.available());
        TreeSet<String> kinds = new TreeSet<>(stageKinds);
        kinds.addAll(shipped(ServiceKinds.hosted()));
        TreeSet<String> missing = new TreeSet<>(kinds);
        missing.removeAll(commandByKind.keySet());
        assertEquals(new TreeSet<>(), missing, "kinds without a container in " + COMPOSE + " (has " + commandByKind.keySet() + ")");
        for (String stageKind : stageKinds) {
            assertTrue(commandByKind.get(stageKind).contains("--stay-up"),
                    stageKind + " would exit, and restart forever, where the pipeline does not use it: "
                            + commandByKind.get(stageKind));
        }
    }

    /** The kinds the product ships: not those the test classpath adds (the runtime test-jar's test-copy, ...). */
    private static TreeSet<String> shipped(Map<String, ?> kinds) {
        TreeSet<String> out = new TreeSet<>();
        kinds.forEach((name, kind) -> {
            String from = kind.getClass().getProtectionDomain().getCodeSource().getLocation().getPath();
            if (!from.contains("/test-classes") && !from.endsWith("-tests.jar")) {
                out.add(name);
            }
        });
        return out;
    }
}
