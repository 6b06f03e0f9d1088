package dev.topiary.nn.model;

import dev.topiary.surgery.graph.Network;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Lets DL4J run convolution, pooling and batch-norm layers through libnd4j's native ops (oneDNN
 * in the {@code linux-x86_64-onednn} build Topiary ships) instead of its Java fallbacks.
 *
 * <p>DL4J 1.0.0-M2.1 keeps these "layer helpers" off twice over: the system property
 * {@value DL4JSystemProperties#DISABLE_HELPER_PROPERTY} defaults to {@code true}, and its oneDNN
 * check looks up a class ND4J M2.1 renamed (restored by {@link org.nd4j.nativeblas.Nd4jCpu}). The
 * fallback convolution is a Java-side im2col into a permuted array and one GEMM; its time follows
 * input channels x output pixels x kernel, hardly the number of filters, so pruning filters did not
 * make a CNN faster. Measured on 2 shared cores, 1 thread, LeNet-5 at batch 256 (Fashion-MNIST):
 * <ul>
 *   <li>conv1 (1→6, 28x28): fallback 147-159 ms, libnd4j conv2d 32 ms, oneDNN 5.9 ms;</li>
 *   <li>conv2 (6→16, 14x14): fallback 110 ms, libnd4j conv2d 19.5 ms, oneDNN 2.8 ms;</li>
 *   <li>whole net, 1,000 rows: 960 ms fallback, 39 ms oneDNN; outputs agree to 3e-7.</li>
 * </ul>
 * {@link #enable()} sets the property to {@code false} unless it was set explicitly, so
 * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} still turns the helpers off. DL4J reads
 * it when a layer is created, so it must run before a network is built or loaded; the model
 * factory and the safe loader call it.
 */
public final class OneDnnHelpers {
    private OneDnnHelpers() {}

    /** Turns the helpers on for layers created from now on, unless the property was set. Idempotent. */
    public static void enable() {
        if (System.getProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY) == null) {
            System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "false");
        }
    }

    /** True when the loaded libnd4j was built with oneDNN. */
    public static boolean nativeBuildHasOneDnn() {
        Nd4j.getBackend();
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    }

    /** True when every convolution layer of {@code model} runs through a helper (false if it has none). */
    public static boolean convolutionsUseHelper(Model model) {
        Layer[] layers = Network.of(model).layers();
        boolean any = false;
        for (Layer layer : layers) {
            if (layer instanceof ConvolutionLayer conv) {
                if (conv.getHelper() == null) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }
}
