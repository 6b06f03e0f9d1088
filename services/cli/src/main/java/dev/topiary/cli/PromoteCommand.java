package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.registry.client.AliasPublisher;
import dev.topiary.registry.client.RegistryClient;
import dev.topiary.registry.client.RegistryException;
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
    private static final long WAIT_MS = 30_000;

    @Mixin ConnectionOptions connection;
    @Mixin RegistryOption registry;

    @Parameters(index = "0", paramLabel = "VERSION", description = "a version id, or an alias to copy")
    String version;

    @Option(names = "--as", required = true, paramLabel = "NAME", description = "the alias, e.g. production")
    String alias;

    @Override
    public Integer call() throws Exception {
        try {
            AliasPublisher.checkName(alias);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        RegistryClient client = registry.client();
        ModelVersion v = client.version(version);
        try (AliasPublisher aliases = new AliasPublisher(connection.connect(false))) {
            aliases.promote(alias, v.getId(), v.getLineage(), System.getProperty("user.name"));
        }
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            try {
                if (client.version(alias).getId().equals(v.getId())) {
                    break;
                }
            } catch (RegistryException notYet) {
                // the registry has not read the alias yet
            }
            if (System.currentTimeMillis() > deadline) {
                throw new UserError("alias " + alias + " was written, but the registry at " + client.url()
                        + " does not resolve it to " + v.getId() + " after " + WAIT_MS / 1000 + " s");
            }
            Thread.sleep(100);
        }
        System.out.println(alias + " -> " + v.getId() + "  (" + (v.getPipeline().isEmpty() ? "-" : v.getPipeline()) + "/" + v.getStage() + ")");
        return 0;
    }
}
