package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.registry.client.RegistryClient;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Fetches a version's artifact, verified against its hash, into a file. With {@code --from} it
 * reads the topic and the artifact store itself; without, it asks the registry, which also knows
 * aliases ({@code topiary pull production -o model.zip}).
 */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Fetch and verify a version's artifact into a file.")
final class PullCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin RegistryOption registry;

    @Parameters(index = "0", paramLabel = "VERSION", description = "a version id, or an alias such as production (alias: through the registry)")
    String version;

    @Option(names = "--from", description = "topic the version was published to; without it, ask the registry")
    String topic;

    @Option(names = {"-o", "--output"}, required = true, description = "file to write")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (topic == null) {
            RegistryClient client = registry.client();
            ModelVersion v = client.version(version);
            ArtifactFile.write(v, client.artifact(v.getId()), output);
            return 0;
        }
        KafkaSettings settings = connection.connect(false);
        ModelVersion v;
        try (TopicReader reader = new TopicReader(settings)) {
            v = reader.readVersions(topic).stream().filter(x -> x.getId().equals(version)).findFirst()
                    .orElseThrow(() -> new UserError("no version " + version + " on topic " + topic));
        }
        Artifacts artifacts = connection.artifacts().open(settings);
        artifacts.getTo(v.getArtifact(), output); // streamed to disk; the file appears once verified
        System.out.println(output + "  " + Files.size(output) + " bytes  sha256 " + v.getArtifact().getSha256()
                + " (verified)");
        return 0;
    }
}
