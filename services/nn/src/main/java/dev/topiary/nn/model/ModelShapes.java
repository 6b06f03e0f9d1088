package dev.topiary.nn.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The input and output shapes of a network, read from its configuration. DL4J does not store the
 * {@code InputType} a network was built with, so it is recovered from the first layer: a
 * flat-to-image preprocessor gives {@code convolutionalFlat(h, w, c)} (what
 * {@code setInputType(InputType.convolutionalFlat(...))} installs), a dense-like layer gives
 * {@code feedForward(nIn)}. Shape checks, MAC counts and layer summaries all start here, so they
 * agree on what a model expects.
 */
public final class ModelShapes {

    private ModelShapes() {}

    /**
     * The type of the network's single input.
     *
     * @throws IllegalArgumentException if the network has several inputs, or its first layer takes
     *     images without a flat-input preprocessor (then the image height and width are not recorded)
     */
    public static InputType inputType(Model model) {
        return switch (ModelFormat.of(model)) {
            case MULTI_LAYER_NETWORK -> inputType(((MultiLayerNetwork) model).getLayerWiseConfigurations());
            case COMPUTATION_GRAPH -> inputType(((ComputationGraph) model).getConfiguration());
        };
    }

    /** Number of features per sample the network reads: {@code nIn} or {@code h*w*c}. */
    public static long inputSize(Model model) {
        return inputType(model).arrayElementsPerExample();
    }

    /** Size of the network's single output (the output layer's {@code nOut}). */
    public static long outputSize(Model model) {
        Layer output;
        if (model instanceof MultiLayerNetwork mln) {
            List<?> confs = mln.getLayerWiseConfigurations().getConfs();
            output = mln.getLayerWiseConfigurations().getConf(confs.size() - 1).getLayer();
        } else {
            ComputationGraphConfiguration conf = ((ComputationGraph) model).getConfiguration();
            List<String> outputs = conf.getNetworkOutputs();
            if (outputs.size() != 1) {
                throw new IllegalArgumentException("Model has " + outputs.size() + " outputs " + outputs
                        + "; only single-output graphs are supported");
            }
            GraphVertex vertex = conf.getVertices().get(outputs.get(0));
            if (!(vertex instanceof LayerVertex lv)) {
                throw new IllegalArgumentException("Output vertex '" + outputs.get(0) + "' is a "
                        + vertex.getClass().getSimpleName() + ", not a layer");
            }
            output = lv.getLayerConf().getLayer();
        }
        if (!(output instanceof FeedForwardLayer ff)) {
            throw new IllegalArgumentException("Output layer '" + output.getLayerName() + "' is a "
                    + output.getClass().getSimpleName() + " with no nOut");
        }
        return ff.getNOut();
    }

    private static InputType inputType(MultiLayerConfiguration conf) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            InputType type = fromFirstLayer(conf.getConf(i).getLayer(), conf.getInputPreProcess(i));
            if (type != null) {
                return type;
            }
        }
        throw new IllegalArgumentException("Cannot tell the input size: no layer records it");
    }

    private static InputType inputType(ComputationGraphConfiguration conf) {
        List<String> inputs = conf.getNetworkInputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("Model has " + inputs.size() + " inputs " + inputs
                    + "; only single-input graphs are supported");
        }
        String input = inputs.get(0);
        for (Map.Entry<String, List<String>> edge : conf.getVertexInputs().entrySet()) {
            if (edge.getValue().contains(input) && conf.getVertices().get(edge.getKey()) instanceof LayerVertex lv) {
                InputType type = fromFirstLayer(lv.getLayerConf().getLayer(), lv.getPreProcessor());
                if (type != null) {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("Cannot tell the input size: no layer fed by input '" + input
                + "' records it");
    }

    /** The input type a first layer implies, or null for a pass-through layer that does not say. */
    private static InputType fromFirstLayer(Layer layer, InputPreProcessor preprocessor) {
        if (preprocessor instanceof FeedForwardToCnnPreProcessor p) {
            return InputType.convolutionalFlat(p.getInputHeight(), p.getInputWidth(), p.getNumChannels());
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer || layer instanceof DropoutLayer
                || layer instanceof BatchNormalization) {
            long nIn = ((FeedForwardLayer) layer).getNIn();
            return nIn > 0 ? InputType.feedForward(nIn) : null;
        }
        if (layer instanceof NoParamLayer && !(layer instanceof SubsamplingLayer)) {
            return null;
        }
        throw new IllegalArgumentException("Cannot tell the input size: first layer '" + layer.getLayerName()
                + "' is a " + layer.getClass().getSimpleName() + " taking image input without a flat-input "
                + "preprocessor; build it with InputType.convolutionalFlat(h, w, c)");
    }
}
