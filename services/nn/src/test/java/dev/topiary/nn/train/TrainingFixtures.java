package dev.topiary.nn.train;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.surgery.graph.Network;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Real data and small networks for the training tests: the Fashion-MNIST subset shipped in the
 * repository (so the tests do not depend on what the machine has installed), cut to 3000 training
 * and 1000 test rows, and networks built with plain DL4J configuration.
 */
final class TrainingFixtures {
    static final String DATA = DatasetCatalog.FASHION_MNIST_SMALL + "?train=3000&test=1000";

    private TrainingFixtures() {}

    static Dataset data() {
        return DatasetCatalog.resolve(DATA);
    }

    /** 784-64-32-10, ReLU, softmax: a plain MLP the dense engine takes. */
    static MultiLayerNetwork mlp(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU).weightInit(WeightInit.RELU).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(32).activation(Activation.RELU).weightInit(WeightInit.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(32).nOut(10).activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** input - dense(32) - [dense(32, relu) - dense(32, linear)] + skip - relu - softmax: a graph with a residual add. */
    static ComputationGraph residualGraph(long seed) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(784))
                .addLayer("stem", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "in")
                .addLayer("a", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "stem")
                .addLayer("b", new DenseLayer.Builder().nOut(32).activation(Activation.IDENTITY).build(), "a")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "b")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER).build(), "relu")
                .setOutputs("out")
                .build());
        graph.init();
        return graph;
    }

    static double testAccuracy(org.deeplearning4j.nn.api.Model model, Dataset data) {
        return HeldOutScore.accuracy(Network.of(model), data.testFeatures(), data.testLabels());
    }

    /** Two epochs of Adam at 2e-3 on batches of 64: enough to learn the subset, seconds to run. */
    static TrainingConfig quick() {
        return TrainingConfig.defaults().withEpochs(2).withBatchSize(64).withLearningRate(2e-3);
    }
}
