package dev.topiary.nn.data;

import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import org.deeplearning4j.nn.api.Model;

/**
 * Checks that a model can be trained and evaluated on a data set before any work starts, because
 * DL4J's own error for a mismatch is a shape exception deep inside a matrix multiply that names
 * neither the model nor the data. The rule: the model's input ({@link InputShape}: a first layer's
 * {@code nIn}, {@code h*w*c} of a flat-image input, or NCHW images whose {@code h*w*c} is the
 * feature count) fits the data set's rows, and its output layer has at least as many units as the
 * data set has classes.
 */
public final class InputCompatibility {

    private InputCompatibility() {}

    /**
     * The model's input shape resolved against {@code dataset} (an image model learns its height
     * and width here); throws a {@link DatasetException} naming both shapes if the model cannot read it.
     */
    public static InputShape check(Model model, Dataset dataset) {
        Network network;
        InputShape shape;
        long outputs;
        try {
            network = Network.of(model);
            shape = network.input();
            outputs = network.outputSize();
        } catch (IllegalArgumentException e) {
            throw new DatasetException("Cannot check the model against data set " + dataset.name() + ": "
                    + e.getMessage(), e);
        }
        if (shape.kind() == InputShape.Kind.UNKNOWN) {
            throw new DatasetException("Cannot check the model against data set " + dataset.name()
                    + ": Cannot tell the input size: " + shape.reason());
        }
        InputShape resolved;
        if (shape.kind() != InputShape.Kind.IMAGE && shape.features() != dataset.numFeatures()) {
            throw new DatasetException("Model expects " + shape.features() + " inputs; data set " + dataset.name()
                    + " has " + dataset.numFeatures() + " features");
        }
        try {
            resolved = shape.resolve(dataset.numFeatures(), dataset.imageShape());
        } catch (IllegalArgumentException e) {
            throw new DatasetException("Model does not fit data set " + dataset.name() + ": " + e.getMessage(), e);
        }
        if (outputs < dataset.numClasses()) {
            throw new DatasetException("Model has " + outputs + " outputs; data set " + dataset.name() + " has "
                    + dataset.numClasses() + " classes");
        }
        return resolved;
    }
}
