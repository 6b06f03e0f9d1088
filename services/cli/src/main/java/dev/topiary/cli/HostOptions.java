package dev.topiary.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Where a process keeps its local data (the embedded broker's log, hosted services' state) and the
 * settings it hands to hosted services; shared by {@code up} and {@code service}.
 */
public final class HostOptions {
    @Option(names = "--data-dir", defaultValue = ".topiary",
            description = "local data, kept across restarts: the embedded broker's (kafka/) and hosted services' state (state/KIND/) (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--service-option", paramLabel = "KIND.KEY=VALUE",
            description = "a setting for a hosted service, e.g. registry.port=8080 (repeatable)")
    Map<String, String> serviceOptions = new LinkedHashMap<>();

    /** The settings, refusing one whose prefix names no hosted kind on the classpath. */
    Map<String, String> serviceOptions(Set<String> hostedKinds) {
        for (String key : serviceOptions.keySet()) {
            int dot = key.indexOf('.');
            if (dot <= 0 || !hostedKinds.contains(key.substring(0, dot))) {
                throw new UserError("--service-option " + key + ": the key must start with a hosted service's name and a dot"
                        + " (hosted services: " + (hostedKinds.isEmpty() ? "none" : String.join(", ", hostedKinds)) + ")");
            }
        }
        return Map.copyOf(serviceOptions);
    }
}
