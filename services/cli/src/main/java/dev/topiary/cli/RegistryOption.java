package dev.topiary.cli;

import dev.topiary.registry.client.RegistryClient;
import picocli.CommandLine.Option;

/** Where the registry's API is, for the commands that ask it (versions, best, promote, pull without --from). */
final class RegistryOption {
    @Option(names = "--registry", description = "the registry's URL (default: $TOPIARY_REGISTRY or " + RegistryClient.DEFAULT_URL + ")")
    String url;

    RegistryClient client() {
        if (url != null) {
            return new RegistryClient(url);
        }
        String env = System.getenv("TOPIARY_REGISTRY");
        return new RegistryClient(env == null || env.isBlank() ? RegistryClient.DEFAULT_URL : env);
    }
}
