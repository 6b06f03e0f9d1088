package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
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

/** Fetches a version's artifact, verified against its hash, into a file. */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Fetch and verify a version's artifact into a file.")
final class PullCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "VERSION_ID")
    String versionId;

    @Option(names = "--from", required = true, description = "topic the version was published to")
    String topic;

    @Option(names = {"-o", "--output"}, required = true, description = "file to write")
    Path output;

    @Override
    public Integer call() throws Exception {
        KafkaSettings settings = connection.connect(false);
        ModelVersion version;
        try (TopicReader reader = new TopicReader(settings)) {
            version = reader.readVersions(topic).stream().filter(v -> v.getId().equals(versionId)).findFirst()
                    .orElseThrow(() -> new UserError("no version " + versionId + " on topic " + topic));
        }
        Artifacts artifacts = connection.artifacts().open(settings);
        artifacts.getTo(version.getArtifact(), output); // streamed to disk; the file appears once verified
        System.out.println(output + "  " + Files.size(output) + " bytes  sha256 " + version.getArtifact().getSha256()
                + " (verified)");
        return 0;
    }
}
