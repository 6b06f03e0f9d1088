package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.registry.client.AliasPublisher;
import dev.topiary.registry.client.RegistryClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Names a version ({@code topiary promote v-... --as production}): an alias event on the compacted
 * aliases topic. The version must be one the registry knows; the command returns once the registry
 * resolves the name, so {@code topiary pull production} right after gets the new version.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Point an alias (e.g. production) at a version; the registry shows and resolves it.")
final class PromoteCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin RegistryOption registry;

    @Parameters(index = "0", paramLabel = "VERSION", description = "a version id, or an alias to copy")
    String version;

    @Option(names = "--as", required = true, paramLabel = "NAME", description = "the alias, e.g. production")
    String alias;

    @Override
    public Integer call() throws Exception {
        AliasEdits.checkName(alias);
        RegistryClient client = registry.client();
        ModelVersion v = client.version(version);
        try (AliasPublisher aliases = new AliasPublisher(connection.connect(false))) {
            aliases.promote(alias, v.getId(), v.getLineage(), System.getProperty("user.name"));
        }
        AliasEdits.awaitRegistry(client, alias, "naming " + v.getId(), names -> v.getId().equals(names.get(alias)));
        System.out.println(alias + " -> " + v.getId() + "  (" + (v.getPipeline().isEmpty() ? "-" : v.getPipeline()) + "/" + v.getStage() + ")");
        return 0;
    }
}
