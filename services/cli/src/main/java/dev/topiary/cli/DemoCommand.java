package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.LoadedModel;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.registry.RegistryKind;
import dev.topiary.registry.RegistryOptions;
import dev.topiary.registry.RegistryService;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.HostedKind;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.RetryPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job, from nothing: a broker, every service and the registry in this process, one new
 * network published on each entry topic of the demo pipeline, a table of every version the
 * pipeline made of them once it made all it owes, and then the registry's page until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run pipelines/demo.yaml end to end on an embedded broker, print what each stage made, "
                + "and serve the registry's page until Ctrl-C (--exit: stop once every version is in).")
final class DemoCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Mixin InstanceOption instance;

    @Option(names = "--pipeline", defaultValue = "pipelines/demo.yaml", description = "pipeline to run (default ${DEFAULT-VALUE})")
    Path pipelineFile;

    @Option(names = "--model", paramLabel = "TOPIC=ARCHITECTURE",
            description = "the new network published on an entry topic, as `topiary new` takes it, e.g. "
                    + "small.new='mlp --layers 784,64,10' (repeatable; pipelines/demo.yaml's topics have defaults)")
    Map<String, String> models = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "PT20M", description = "give up after this long (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--exit", description = "stop once every version is in, instead of serving the registry until Ctrl-C")
    boolean exit;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "" + RegistryOptions.DEFAULT_PORT,
            description = "port of the registry's page and API on 127.0.0.1 (default ${DEFAULT-VALUE}; 0: any free port)")
    int registryPort;

    @Option(names = "--no-registry", description = "leave the registry out (nothing to serve: the demo stops once every version is in)")
    boolean noRegistry;

    @Option(names = "--screenshot", paramLabel = "FILE.png",
            description = "once every version is in, save the registry's page as headless Chromium shows it")
    Path screenshot;

    /** Called with the result and the registry's URL (null without one) once every version is in; for tests. */
    BiConsumer<DemoResult, String> whenAllIn;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (noRegistry && screenshot != null) {
            throw new UserError("--screenshot saves the registry's page: leave out --no-registry");
        }
        Path file = RepoPaths.resolve(pipelineFile);
        PipelineSet set = PipelineFiles.load(List.of(file));
        Pipeline pipeline = set.pipelines().get(0);
        Map<String, String> architectures = DemoModels.forPipeline(pipeline, models);
        Map<String, Model> networks = new LinkedHashMap<>();
        architectures.forEach((topic, words) -> networks.put(topic, NewCommand.build(words)));

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
        Shutdown shutdown = new Shutdown(broker, dataDir);
        boolean serving = false;
        try {
            Map<String, HostedKind> hosted = new TreeMap<>(ServiceKinds.hostedWantedBy(set));
            if (noRegistry) {
                hosted.remove(RegistryKind.NAME);
            }
            ServiceHost host = new ServiceHost(set, ServiceKinds.available(), hosted, settings,
                    connection.artifacts(), instance.id(), RetryPolicy.DEFAULT, dataDir,
                    Map.of(RegistryOptions.PORT, String.valueOf(registryPort)));
            shutdown.host = host;
            System.out.println("running pipeline '" + pipeline.name() + "' from " + file + " on the broker at " + settings.bootstrap()
                    + ": " + host.stageCount() + " stage(s)" + (host.hostedServices().isEmpty() ? ""
                    : ", hosted " + String.join(", ", host.hostedServices().keySet())));
            HostedUrls.print(host);
            String registryUrl = host.hostedServices().get(RegistryKind.NAME) instanceof RegistryService r ? r.url() : null;

            List<ModelVersion> roots = new ArrayList<>();
            for (Map.Entry<String, Model> e : networks.entrySet()) {
                Model network = e.getValue();
                ModelVersion root = PublishCommand.publish(settings, connection, LoadedModel.of(network),
                        ModelArtifacts.save(network, true), OperationKind.NEW, e.getKey(), Map.of("demo", "true"));
                roots.add(root);
                System.out.println("published new " + architectures.get(e.getKey()) + " as " + root.getId() + " to " + e.getKey());
            }

            DemoResult result = new PipelineWatcher(settings, pipeline).await(roots, timeout);
            if (registryUrl != null) {
                DemoRegistry.awaitRegistered(registryUrl, result, Duration.ofMinutes(1));
            }
            System.out.println();
            System.out.print(table(pipeline, roots, result));
            result.deadLetters().forEach(d -> System.out.println("dead letter: " + d));
            long routedOut = result.arrivals().stream().filter(a -> a.routeTaken(pipeline).isPresent()).count();
            System.out.printf("%d versions in %.0f s; %s%s%n", result.arrivals().size(), (System.nanoTime() - start) / 1e9,
                    routedOut == 0 ? "none sent out of the pipeline by a route"
                            : routedOut + " sent out of the pipeline by a route (see the table)",
                    result.settled() ? "" : "; the pipeline did not make all it owed");
            if (screenshot != null && registryUrl != null) {
                DemoRegistry.screenshot(registryUrl, roots, result, screenshot);
                System.out.println("saved the registry's page to " + screenshot);
            }
            if (whenAllIn != null) {
                whenAllIn.accept(result, registryUrl);
            }
            int code = result.settled() ? 0 : 1;
            if (exit || registryUrl == null) {
                return code;
            }
            System.out.println("the registry keeps serving at " + registryUrl + "; Ctrl-C stops");
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "topiary-demo-shutdown"));
            serving = true;
            host.awaitTermination();
            return code;
        } finally {
            if (!serving) {
                shutdown.run();
            }
        }
    }

    /** One group of rows per model, in the order they were published; a version a route sent out of the pipeline says so. */
    private static String table(Pipeline pipeline, List<ModelVersion> roots, DemoResult result) {
        Map<String, List<ModelVersion>> byLineage = new LinkedHashMap<>();
        roots.forEach(r -> byLineage.put(r.getLineage(), new ArrayList<>()));
        Map<String, String> notes = new LinkedHashMap<>();
        for (DemoResult.Arrival a : result.arrivals()) {
            byLineage.get(a.version().getLineage()).add(a.version());
            a.routeTaken(pipeline).ifPresent(route ->
                    notes.put(a.version().getId(), "[route " + route.when() + " -> " + a.topic() + "]"));
        }
        return VersionTable.render(new ArrayList<>(byLineage.values()), notes);
    }

    /** Stops what the demo started, once, whether it ends by itself or on Ctrl-C. */
    private static final class Shutdown implements Runnable {
        private final EmbeddedKafkaBroker broker;
        private final Path dataDir;
        private final AtomicBoolean done = new AtomicBoolean();
        ServiceHost host;

        Shutdown(EmbeddedKafkaBroker broker, Path dataDir) {
            this.broker = broker;
            this.dataDir = dataDir;
        }

        @Override
        public void run() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (host != null) {
                host.close();
            }
            if (broker != null) {
                broker.close();
            }
            RepoPaths.deleteRecursively(dataDir);
        }
    }
}
