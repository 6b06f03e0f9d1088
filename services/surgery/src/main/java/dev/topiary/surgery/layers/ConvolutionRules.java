package dev.topiary.surgery.layers;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link ConvolutionLayer} (and Keras import's {@link Convolution2D}, the same layer under another
 * name): a producer with kernel {@code W[nOut, nIn, kH, kW]} (filters on axis 0, input channels on
 * axis 1) and a bias per filter; {@code outH * outW * kH * kW * nIn * nOut} MACs. Only the NCHW
 * layout is handled: every channel index rule here assumes channels on axis 1 of the activations.
 * Its identity is a same-padded, stride-1 kernel with a single 1 at the centre of filter {@code c}
 * for input channel {@code c}.
 */
public final class ConvolutionRules implements LayerRules {
    private final Class<? extends ConvolutionLayer> type;

    /** The rules for {@link ConvolutionLayer} itself. */
    public ConvolutionRules() {
        this(ConvolutionLayer.class);
    }

    /** @param type {@link ConvolutionLayer} or {@link Convolution2D} */
    public ConvolutionRules(Class<? extends ConvolutionLayer> type) {
        if (type != ConvolutionLayer.class && type != Convolution2D.class) {
            throw new IllegalArgumentException(type.getSimpleName() + " does not lay out its kernel as ConvolutionLayer does");
        }
        this.type = type;
    }

    @Override
    public Class<?> handles() {
        return type;
    }

    @Override
    public Channels channels() {
        return Channels.PRODUCER;
    }

    @Override
    public void check(Object config, String node, String operation) {
        if (((ConvolutionLayer) config).getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            throw Nhwc.refused(operation, node, typeName());
        }
    }

    @Override
    public ParamAxes axes(String param) {
        return switch (param) {
            case "W" -> ParamAxes.weight(0, 1);
            case "b" -> ParamAxes.perChannel();
            default -> null;
        };
    }

    @Override
    public long outputChannels(Object config) {
        return ((ConvolutionLayer) config).getNOut();
    }

    @Override
    public long inputRows(Object config) {
        return ((ConvolutionLayer) config).getNIn();
    }

    @Override
    public void resize(Object config, long inputRows, long outputChannels) {
        ConvolutionLayer conv = (ConvolutionLayer) config;
        conv.setNIn(inputRows);
        conv.setNOut(outputChannels);
    }

    @Override
    public long macs(Object config, InputType input, InputType output, long inputRows, long outputChannels) {
        InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) output;
        int[] kernel = ((ConvolutionLayer) config).getKernelSize();
        return out.getHeight() * out.getWidth() * kernel[0] * kernel[1] * inputRows * outputChannels;
    }

    @Override
    public Optional<String> makeIdentity(Object config, Map<String, INDArray> params) {
        ConvolutionLayer conv = (ConvolutionLayer) config;
        int[] k = conv.getKernelSize();
        if (conv.getNIn() != conv.getNOut()) {
            return Optional.of(typeName() + " maps " + conv.getNIn() + " channels to " + conv.getNOut());
        }
        if (conv.getConvolutionMode() != ConvolutionMode.Same || conv.getStride()[0] != 1 || conv.getStride()[1] != 1
                || k[0] % 2 == 0 || k[1] % 2 == 0 || conv.getDilation()[0] != 1 || conv.getDilation()[1] != 1) {
            return Optional.of(typeName() + " needs same padding, stride 1, no dilation and an odd kernel to be an identity");
        }
        if (!(conv.getActivationFn() instanceof ActivationIdentity || conv.getActivationFn() instanceof ActivationReLU)) {
            return Optional.of(typeName() + " has activation " + conv.getActivationFn() + " (identity or ReLU needed)");
        }
        INDArray w = params.get("W");
        w.assign(0);
        for (int c = 0; c < conv.getNOut(); c++) {
            w.putScalar(new long[] {c, c, k[0] / 2, k[1] / 2}, 1); // point-index views of kernels fail in ND4J
        }
        if (params.containsKey("b")) {
            params.get("b").assign(0);
        }
        return Optional.empty();
    }
}
