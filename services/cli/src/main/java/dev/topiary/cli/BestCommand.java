package dev.topiary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topiary.events.ModelVersion;
import dev.topiary.registry.client.RegistryClient;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The cheapest version of a lineage within an accuracy budget of its best trained version; its id on stdout. */
@Command(name = "best", mixinStandardHelpOptions = true,
        description = "Print the id of the cheapest version within an accuracy budget of the lineage's best trained version; -o also pulls it.")
final class BestCommand implements Callable<Integer> {
    @Mixin RegistryOption registry;

    @Option(names = "--lineage", required = true, description = "a lineage id (or any version id or alias in it)")
    String lineage;

    @Option(names = "--minimize", defaultValue = "latencyMs",
            description = "macs, latencyMs, artifactBytes, params or nonzeroParams (default ${DEFAULT-VALUE})")
    String minimize;

    @Option(names = "--max-accuracy-drop", defaultValue = "0.01",
            description = "accuracy that may be given up against the best trained version, 0.01 = one point (default ${DEFAULT-VALUE})")
    double maxAccuracyDrop;

    @Option(names = {"-o", "--output"}, description = "also write its artifact to this file")
    Path output;

    @Override
    public Integer call() throws Exception {
        RegistryClient client = registry.client();
        JsonNode best = client.best(lineage, minimize, maxAccuracyDrop);
        JsonNode v = best.path("version");
        JsonNode ref = best.path("reference");
        System.out.println(v.path("id").asText());
        System.err.println(String.format(Locale.ROOT, "%s %s: %s %.4g, accuracy %.4f (%.2f pt below %s at %.4f; %d within budget)",
                v.path("stage").asText(), v.path("operation").path("kind").asText(), minimize,
                v.path("metrics").path(minimize).asDouble(), v.path("metrics").path("accuracy").asDouble(),
                best.path("accuracyDrop").asDouble() * 100, ref.path("id").asText(),
                ref.path("metrics").path("accuracy").asDouble(), best.path("candidates").asInt()));
        if (output != null) {
            ModelVersion chosen = client.version(v.path("id").asText());
            ArtifactFile.write(chosen, client.artifact(chosen.getId()), output);
        }
        return 0;
    }
}
