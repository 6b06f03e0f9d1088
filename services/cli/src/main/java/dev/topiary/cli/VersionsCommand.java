package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.events.VersionJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Every version the registry knows, lineage by lineage, oldest first. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = "List the versions the registry knows, one table per lineage (or one JSON object per line).")
final class VersionsCommand implements Callable<Integer> {
    @Mixin RegistryOption registry;

    @Option(names = "--lineage", description = "only this lineage (a lineage id, or any version id or alias in it)")
    String lineage;

    @Option(names = "--json", description = "one JSON object per version per line, as topiary watch --json")
    boolean json;

    @Override
    public Integer call() {
        List<ModelVersion> versions = registry.client().versions(lineage);
        if (json) {
            versions.forEach(v -> System.out.println(VersionJson.of(v)));
            return 0;
        }
        Map<String, List<ModelVersion>> byLineage = new LinkedHashMap<>();
        versions.forEach(v -> byLineage.computeIfAbsent(v.getLineage(), k -> new java.util.ArrayList<>()).add(v));
        if (byLineage.isEmpty()) {
            System.out.println("no versions"); // a lineage the registry does not know is refused before this
        }
        byLineage.forEach((l, vs) -> {
            System.out.println("lineage " + l + " (" + vs.size() + " version" + (vs.size() == 1 ? "" : "s") + ")");
            System.out.println(VersionTable.render(vs));
        });
        return 0;
    }
}
