package dev.topiary.nn.data;

import dev.topiary.nn.model.ModelShapes;
import org.deeplearning4j.nn.api.Model;

/**
 * Checks that a model can be trained and evaluated on a data set before any work starts, because
 * DL4J's own error for a mismatch is a shape exception deep inside a matrix multiply that names
 * neither the model nor the data. The rule: the model's input size (first layer's {@code nIn}, or
 * {@code h*w*c} of its flat-image input type) equals the data set's feature count, and its output
 * layer has at least as many units as the data set has classes.
 */
public final class InputCompatibility {

    private InputCompatibility() {}

    /** Throws a {@link DatasetException} naming both sizes if {@code model} cannot read {@code dataset}. */
    public static void check(Model model, Dataset dataset) {
        long inputs;
        long outputs;
        try {
            inputs = ModelShapes.inputSize(model);
            outputs = ModelShapes.outputSize(model);
        } catch (IllegalArgumentException e) {
            throw new DatasetException("Cannot check the model against data set " + dataset.name() + ": "
                    + e.getMessage(), e);
        }
        if (inputs != dataset.numFeatures()) {
            throw new DatasetException("Model expects " + inputs + " inputs; data set " + dataset.name() + " has "
                    + dataset.numFeatures() + " features");
        }
        if (outputs < dataset.numClasses()) {
            throw new DatasetException("Model has " + outputs + " outputs; data set " + dataset.name() + " has "
                    + dataset.numClasses() + " classes");
        }
    }
}
