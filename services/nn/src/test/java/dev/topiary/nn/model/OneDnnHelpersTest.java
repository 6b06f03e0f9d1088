package dev.topiary.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OneDnnHelpersTest {

    @Test
    void theShippedBackendHasOneDnnAndConvolutionsUseIt() {
        assertTrue(OneDnnHelpers.nativeBuildHasOneDnn(), "nd4j-native should be the linux-x86_64-onednn build");
        assertTrue(OneDnnHelpers.convolutionsUseHelper(ModelFactory.cnn(1)));
        assertTrue(OneDnnHelpers.convolutionsUseHelper(ModelFactory.cnn(1, true)));
    }

    @Test
    void helpersComputeWhatTheJavaFallbackComputesForwardAndBackward() {
        MultiLayerNetwork fast = ModelFactory.cnn(7, true);
        MultiLayerNetwork slow = withoutHelpers(7);
        assertFalse(OneDnnHelpers.convolutionsUseHelper(slow));
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        assertEquals(0, fast.output(x, false).distance1(slow.output(x, false)) / y.length(), 1e-5);
        // backprop through the helpers: the same gradient up to float rounding (Adam would magnify
        // rounding in near-zero gradients, so compare gradients, not parameters after fit)
        INDArray g = gradient(fast, x, y);
        INDArray reference = gradient(slow, x, y);
        assertEquals(0, g.sub(reference).norm2Number().doubleValue() / reference.norm2Number().doubleValue(), 1e-4);
    }

    private static INDArray gradient(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    private static MultiLayerNetwork withoutHelpers(long seed) {
        String before = System.getProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY);
        System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "true");
        try {
            return ModelFactory.cnn(seed, true);
        } finally {
            System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, before == null ? "false" : before);
        }
    }
}
