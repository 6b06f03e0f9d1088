package org.nd4j.nativeblas;

/**
 * The class name DL4J 1.0.0-M2.1's oneDNN check still looks up, pointing at the class ND4J M2.1
 * renamed it to.
 *
 * <p>{@code BaseMKLDNNHelper.mklDnnEnabled()} asks {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * for {@code isUseMKLDNN()}; ND4J M2.1 ships that class as
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} with {@code isUseONEDNN()}.
 * The lookup fails, DL4J caches the failure, and every CPU layer helper (convolution, pooling,
 * batch norm) is dropped: convolutions fall back to DL4J's Java im2col + GEMM, 5-25 times slower
 * than libnd4j's {@code conv2d} op. This class only answers that one question; see
 * {@link dev.topiary.nn.model.OneDnnHelpers}.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    /** The two members DL4J calls, by reflection. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether libnd4j would use oneDNN (true unless turned off; it has no effect in a build without it). */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
