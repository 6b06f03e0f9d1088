package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.LoadedModel;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job, from nothing: a broker and every service in this process, a new 784-300-100-10
 * MLP published into the demo pipeline, and a table of every version it made once its lineage
 * reaches the end of the pipeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run pipelines/demo.yaml end to end on an embedded broker and print what each stage made.")
final class DemoCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin InstanceOption instance;

    @Option(names = "--pipeline", defaultValue = "pipelines/demo.yaml", description = "pipeline to run (default ${DEFAULT-VALUE})")
    Path pipelineFile;

    @Option(names = "--timeout", defaultValue = "PT20M", description = "give up after this long (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path file = RepoPaths.resolve(pipelineFile);
        PipelineSet set = PipelineFiles.load(List.of(file));
        Pipeline pipeline = set.pipelines().get(0);
        String entry = pipeline.stages().get(0).from().get(0);

        // A fresh broker on a free port keeps the demo independent of anything else running here.
        Path dataDir = Files.createTempDirectory("topiary-demo");
        EmbeddedKafkaBroker broker = null;
        KafkaSettings settings;
        if (connection.explicitBootstrap() == null) {
            System.out.println("starting an embedded Kafka broker (data in " + dataDir + ")");
            broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
            settings = connection.settings(broker.bootstrapServers());
        } else {
            settings = connection.connect(false);
        }
        try (ServiceHost host = new ServiceHost(set, ServiceKinds.available(), settings, connection.artifacts(), instance.id())) {
            System.out.println("running pipeline '" + pipeline.name() + "' from " + file + " with "
                    + host.runners().size() + " stage(s) on " + settings.bootstrap());
            MultiLayerNetwork mlp = ModelFactory.mlp(42, new int[] {784, 300, 100, 10});
            ModelVersion root = PublishCommand.publish(settings, connection, LoadedModel.of(mlp),
                    ModelArtifacts.save(mlp, true), OperationKind.NEW, entry, Map.of("demo", "true"));
            System.out.println("published new MLP 784-300-100-10 as " + root.getId() + " to " + entry);

            DemoResult result = new LineageWatcher(settings, pipeline).await(root, timeout);
            System.out.println();
            System.out.print(VersionTable.render(result.versions()));
            result.deadLetters().forEach(d -> System.out.println("dead letter: " + d));
            return result.reachedEnd() && result.deadLetters().isEmpty() ? 0 : 1;
        } finally {
            if (broker != null) {
                broker.close();
            }
            RepoPaths.deleteRecursively(dataDir);
        }
    }
}
