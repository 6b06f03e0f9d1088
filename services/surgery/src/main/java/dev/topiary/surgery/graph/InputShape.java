package dev.topiary.surgery.graph;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one example looks like to a network, recovered from its configuration (DL4J does not store
 * the {@code InputType} a network was built with), and how rows of a data set are fed to it.
 *
 * <ul>
 *   <li>{@link Kind#FLAT}: rows of {@code size} features (a first dense-like layer's {@code nIn});
 *   <li>{@link Kind#FLAT_IMAGE}: rows the network reshapes itself to {@code channels x height x
 *       width} images (what {@code InputType.convolutionalFlat(h, w, c)} installs: a flat-to-image
 *       preprocessor, as in DL4J's zoo LeNet);
 *   <li>{@link Kind#IMAGE}: NCHW images (a first convolution without that preprocessor, as
 *       {@code InputType.convolutional(h, w, c)} builds DL4J's zoo SimpleCNN, ResNet50, VGG16). The
 *       configuration records the channels but not the height and width; {@link #resolve} takes
 *       them from the data, and {@link #rows} reshapes flat rows to {@code [n, c, h, w]} (row-major,
 *       as data sets flatten images);
 *   <li>{@link Kind#UNKNOWN}: the first layer does not say ({@link #reason()} tells why); rows go in
 *       as they are, and whatever needs the size fails with that reason.
 * </ul>
 *
 * <pre>{@code
 * InputShape shape = InputShape.of(model).resolve(784, new int[] {1, 28, 28});  // IMAGE 1x28x28
 * INDArray batch = shape.rows(flatRows);                                       // [n, 1, 28, 28]
 * InputType type = shape.inputType();                                          // for shapes and MACs
 * }</pre>
 *
 * @param height 0 while an image input's size is not known
 */
public record InputShape(Kind kind, long size, long channels, long height, long width, String reason) {

    public enum Kind { FLAT, FLAT_IMAGE, IMAGE, UNKNOWN }

    public static InputShape flat(long size) {
        return new InputShape(Kind.FLAT, size, 0, 0, 0, null);
    }

    public static InputShape flatImage(long channels, long height, long width) {
        return new InputShape(Kind.FLAT_IMAGE, channels * height * width, channels, height, width, null);
    }

    /** NCHW images; {@code height} and {@code width} 0 when not known yet. */
    public static InputShape image(long channels, long height, long width) {
        return new InputShape(Kind.IMAGE, channels * height * width, channels, height, width, null);
    }

    static InputShape unknown(String reason) {
        return new InputShape(Kind.UNKNOWN, 0, 0, 0, 0, reason);
    }

    /** The input shape of the network, from its first layer. */
    public static InputShape of(Network network) {
        return network.input();
    }

    /** True when every size is known, so {@link #inputType()} and {@link #features()} answer. */
    public boolean complete() {
        return kind != Kind.UNKNOWN && (kind != Kind.IMAGE || height > 0);
    }

    /** The DL4J input type of one example. */
    public InputType inputType() {
        return switch (require()) {
            case FLAT -> InputType.feedForward(size);
            case FLAT_IMAGE -> InputType.convolutionalFlat(height, width, channels);
            case IMAGE -> InputType.convolutional(height, width, channels);
            case UNKNOWN -> throw new AssertionError();
        };
    }

    /** Features per row of a data set this network reads: {@code size}, or {@code c*h*w}. */
    public long features() {
        require();
        return size;
    }

    /**
     * This shape for data rows of {@code features} values, whose images (if any) are
     * {@code imageShape = {channels, height, width}} (null for plain rows). A model that records its
     * size must match it; an image model of unknown size takes the data's image size, or square
     * images when the data records none.
     *
     * @throws IllegalArgumentException naming both shapes when they do not fit
     */
    public InputShape resolve(long features, int[] imageShape) {
        if (kind == Kind.UNKNOWN) {
            throw new IllegalArgumentException("Cannot tell the input size: " + reason);
        }
        if (kind != Kind.IMAGE || height > 0) {
            if (size != features) {
                throw new IllegalArgumentException("model reads " + describe() + "; the data has " + features
                        + " features" + images(imageShape));
            }
            return this;
        }
        if (imageShape != null) {
            if (imageShape[0] != channels || (long) imageShape[0] * imageShape[1] * imageShape[2] != features) {
                throw new IllegalArgumentException("model reads " + describe() + "; the data has " + features
                        + " features" + images(imageShape));
            }
            return image(channels, imageShape[1], imageShape[2]);
        }
        long side = channels > 0 && features % channels == 0 ? Math.round(Math.sqrt((double) features / channels)) : -1;
        if (side <= 0 || side * side * channels != features) {
            throw new IllegalArgumentException("model reads " + describe() + "; the data has " + features
                    + " features, which are not " + channels + " square images (the data records no image shape)");
        }
        return image(channels, side, side);
    }

    /**
     * {@code rows} as this network takes them: flat rows reshaped to {@code [n, c, h, w]} for an
     * image input (resolved from the row length when the size is not known), anything else unchanged.
     */
    public INDArray rows(INDArray rows) {
        if (kind != Kind.IMAGE || rows.rank() != 2) {
            return rows;
        }
        InputShape s = complete() ? this : resolve(rows.size(1), null);
        if (rows.size(1) != s.size) {
            throw new IllegalArgumentException("model reads " + s.describe() + "; rows have " + rows.size(1) + " features");
        }
        INDArray c = rows.ordering() == 'c' && rows.elementWiseStride() == 1 ? rows : rows.dup('c');
        return c.reshape('c', rows.size(0), s.channels, s.height, s.width);
    }

    /** For messages: {@code 784 features}, {@code 1x28x28 images (NCHW)}, {@code images of 3 channels (NCHW)}. */
    public String describe() {
        return switch (kind) {
            case FLAT -> size + " features";
            case FLAT_IMAGE -> channels + "x" + height + "x" + width + " images as rows of " + size + " features";
            case IMAGE -> height > 0 ? channels + "x" + height + "x" + width + " images (NCHW)"
                    : "images of " + channels + " channel(s) (NCHW, size not recorded)";
            case UNKNOWN -> "an input Topiary cannot size (" + reason + ")";
        };
    }

    private Kind require() {
        if (!complete()) {
            throw new IllegalArgumentException(kind == Kind.UNKNOWN ? "Cannot tell the input size: " + reason
                    : "the model reads " + describe() + "; its height and width come from the data it is used with");
        }
        return kind;
    }

    private static String images(int[] imageShape) {
        return imageShape == null ? "" : " (" + imageShape[0] + "x" + imageShape[1] + "x" + imageShape[2] + " images)";
    }

    /**
     * The shape a first layer implies, or null for a layer that passes its input on without saying
     * (an activation, pooling) so the next one decides.
     */
    static InputShape fromFirstLayer(String name, Layer layer, InputPreProcessor preprocessor) {
        if (preprocessor instanceof FeedForwardToCnnPreProcessor p) {
            return flatImage(p.getNumChannels(), p.getInputHeight(), p.getInputWidth());
        }
        if (layer instanceof ConvolutionLayer conv && preprocessor == null) {
            return conv.getNIn() > 0 ? image(conv.getNIn(), 0, 0) : null;
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer || layer instanceof DropoutLayer
                || layer instanceof BatchNormalization) {
            long nIn = ((FeedForwardLayer) layer).getNIn();
            return nIn > 0 ? flat(nIn) : null;
        }
        if (layer instanceof NoParamLayer) {
            return null;
        }
        return unknown("first layer '" + name + "' is a " + layer.getClass().getSimpleName()
                + (preprocessor == null ? "" : " behind a " + preprocessor.getClass().getSimpleName())
                + ", whose input size Topiary cannot tell");
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputShape s && s.kind == kind && s.size == size && s.channels == channels
                && s.height == height && s.width == width;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new long[] {kind.ordinal(), size, channels, height, width});
    }
}
