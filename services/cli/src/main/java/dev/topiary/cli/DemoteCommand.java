package dev.topiary.cli;

import dev.topiary.registry.client.AliasPublisher;
import dev.topiary.registry.client.RegistryClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Removes an alias ({@code topiary demote production}): a tombstone for the name on the compacted
 * aliases topic. The version it named stays; only the name goes. Returns once the registry no
 * longer resolves the name.
 */
@Command(name = "demote", mixinStandardHelpOptions = true,
        description = "Remove an alias (e.g. production); the version it named stays in the registry.")
final class DemoteCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin RegistryOption registry;

    @Parameters(index = "0", paramLabel = "NAME", description = "the alias to remove")
    String alias;

    @Override
    public Integer call() throws Exception {
        AliasEdits.checkName(alias);
        RegistryClient client = registry.client();
        Map<String, String> known = client.aliases();
        String named = known.get(alias);
        if (named == null) {
            throw new UserError("no alias " + alias + " at the registry " + client.url() + "; its aliases: "
                    + (known.isEmpty() ? "none" : String.join(", ", known.keySet())));
        }
        try (AliasPublisher aliases = new AliasPublisher(connection.connect(false))) {
            aliases.remove(alias);
        }
        AliasEdits.awaitRegistry(client, alias, "removed", names -> !names.containsKey(alias));
        System.out.println(alias + " removed (it named " + named + ")");
        return 0;
    }
}
