package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.LoadedModel;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Publishes a user's DL4J model zip as a new root version. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Store a DL4J ModelSerializer zip as an artifact, publish its version to a topic, print its id.")
final class PublishCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "MODEL.zip")
    Path model;

    @Option(names = "--to", required = true, description = "topic to publish to")
    String topic;

    @Option(names = "--label", description = "label KEY=VALUE (repeatable)")
    Map<String, String> labels = Map.of();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new UserError((Files.isDirectory(model) ? "a folder, not a model file: " : "no such file: ") + model);
        }
        byte[] bytes = Files.readAllBytes(model);
        LoadedModel loaded;
        try {
            loaded = SafeModelLoader.load(bytes); // refuse a wrong or unsafe file here, not in a service
        } catch (RuntimeException e) {
            throw new UserError(model + " is not a loadable DL4J model: " + e.getMessage());
        }
        ModelVersion v = publish(connection.connect(false), connection, loaded, bytes, OperationKind.IMPORT, topic, labels);
        System.out.println(v.getId());
        return 0;
    }

    static ModelVersion publish(KafkaSettings settings, ConnectionOptions connection, LoadedModel loaded, byte[] bytes,
                                OperationKind kind, String topic, Map<String, String> labels) {
        try (VersionPublisher publisher = new VersionPublisher(settings, connection.artifacts().open(settings))) {
            return publisher.publish(ModelEvents.root(loaded.model(), bytes, kind, labels), topic);
        }
    }
}
