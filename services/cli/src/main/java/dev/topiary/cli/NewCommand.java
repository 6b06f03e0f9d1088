package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.LoadedModel;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Publishes a new, initialized, untrained network of a known architecture, or writes it to a file. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Publish a new, initialized, untrained network (or write it to a file with -o).",
        subcommands = {NewCommand.Mlp.class, NewCommand.Cnn.class, NewCommand.ResMlp.class, NewCommand.ResCnn.class})
final class NewCommand {

    /**
     * The network that {@code topiary new WORDS} makes, e.g. {@code mlp --layers 784,32,10} or
     * {@code cnn --batch-norm}: how the demo names the models it publishes.
     */
    static Model build(String words) {
        CommandLine cl = new CommandLine(new NewCommand());
        try {
            ParseResult parsed = cl.parseArgs(words.trim().split("\\s+"));
            if (!parsed.hasSubcommand()) {
                throw new UserError("'" + words + "' names no architecture (one of " + cl.getSubcommands().keySet() + ")");
            }
            return ((Architecture) parsed.subcommand().commandSpec().userObject()).build();
        } catch (ParameterException e) {
            throw new UserError("'" + words + "' is not a network `topiary new` makes: " + e.getMessage());
        }
    }

    /** What every architecture shares: where to publish and the seed. */
    abstract static class Architecture implements Callable<Integer> {
        @Mixin ConnectionOptions connection;

        @Option(names = "--to", description = "topic to publish to")
        String topic;

        @Option(names = {"-o", "--output"}, description = "write the model zip to this file instead of publishing it")
        Path output;

        @Option(names = "--seed", defaultValue = "42", description = "initialization seed (default ${DEFAULT-VALUE})")
        long seed;

        abstract Model build();

        @Override
        public Integer call() throws IOException {
            if ((topic == null) == (output == null)) {
                throw new UserError("say either --to TOPIC (publish) or -o FILE (write a zip), not " + (topic == null ? "neither" : "both"));
            }
            Model model = build();
            byte[] bytes = ModelArtifacts.save(model, true);
            if (output != null) {
                Files.write(output, bytes);
                System.out.println(output);
                return 0;
            }
            ModelVersion v = PublishCommand.publish(connection.connect(false), connection, LoadedModel.of(model), bytes,
                    OperationKind.NEW, topic, Map.of());
            System.out.println(v.getId());
            return 0;
        }
    }

    @Command(name = "mlp", mixinStandardHelpOptions = true, description = "A multilayer perceptron, e.g. --layers 784,300,100,10.")
    static final class Mlp extends Architecture {
        @Option(names = "--layers", split = ",", defaultValue = "784,300,100,10", description = "layer sizes, input first (default ${DEFAULT-VALUE})")
        List<Integer> layers;

        @Override
        Model build() {
            if (layers.size() < 2) {
                throw new UserError("--layers needs at least an input and an output size, got " + layers);
            }
            return ModelFactory.mlp(seed, layers.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Command(name = "cnn", mixinStandardHelpOptions = true, description = "A LeNet-5-like convolutional net for 28x28x1 images.")
    static final class Cnn extends Architecture {
        @Option(names = "--batch-norm", description = "add batch normalization after each convolution")
        boolean batchNorm;

        @Override
        Model build() {
            return ModelFactory.cnn(seed, batchNorm);
        }
    }

    @Command(name = "resmlp", mixinStandardHelpOptions = true, description = "A ComputationGraph of residual dense blocks.")
    static final class ResMlp extends Architecture {
        @Option(names = "--inputs", defaultValue = "784") int inputs;
        @Option(names = "--width", defaultValue = "256") int width;
        @Option(names = "--blocks", defaultValue = "8") int blocks;
        @Option(names = "--classes", defaultValue = "10") int classes;

        @Override
        Model build() {
            return ModelFactory.resmlp(inputs, width, blocks, classes, seed);
        }
    }

    @Command(name = "rescnn", mixinStandardHelpOptions = true,
            description = "A residual CNN (ComputationGraph) for 28x28x1 images in flat rows: a stride-2 3x3 stem to 14x14, "
                    + "residual blocks of two 3x3 convolutions with batch norm and an add, global average pooling, softmax.")
    static final class ResCnn extends Architecture {
        @Option(names = "--width", defaultValue = "16", description = "channels of the stem and of every block (default ${DEFAULT-VALUE})")
        int width;

        @Option(names = "--blocks", defaultValue = "3", description = "residual blocks (default ${DEFAULT-VALUE})")
        int blocks;

        @Option(names = "--classes", defaultValue = "10", description = "output classes (default ${DEFAULT-VALUE})")
        int classes;

        @Override
        Model build() {
            if (width < 1 || blocks < 0 || classes < 1) {
                throw new UserError("rescnn needs --width >= 1, --blocks >= 0 and --classes >= 1");
            }
            return ModelFactory.rescnn(width, blocks, classes, seed);
        }
    }
}
