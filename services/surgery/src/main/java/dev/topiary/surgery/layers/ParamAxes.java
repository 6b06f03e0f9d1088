package dev.topiary.surgery.layers;

/**
 * Where the channels are in one parameter array of a layer, so an index map can select, repeat or
 * permute them without knowing the layer type. Axes count from the front when {@code >= 0} and from
 * the end when negative ({@code -1}: the last axis, which is where a bias is per channel whether
 * DL4J shapes it {@code [nOut]} or {@code [1, nOut]}).
 *
 * @param outAxis the axis holding one entry per output channel (for a pass-through layer such as
 *     BatchNormalization, its channels), or {@link #NONE}
 * @param inAxis the axis holding one entry per input row (a channel, or a channel's block of
 *     {@code H*W} rows behind a flattening), or {@link #NONE}
 * @param weight whether this is a weight whose magnitude says how much a connection matters (a
 *     Dense or Convolution {@code W}), as opposed to a bias or a normalisation statistic
 */
public record ParamAxes(int outAxis, int inAxis, boolean weight) {
    public static final int NONE = Integer.MIN_VALUE;

    /** A weight matrix or kernel: {@code W[in, out]} is {@code weight(1, 0)}, {@code W[out, in, kH, kW]} is {@code weight(0, 1)}. */
    public static ParamAxes weight(int outAxis, int inAxis) {
        return new ParamAxes(outAxis, inAxis, true);
    }

    /** One entry per channel on the last axis: a bias, a BatchNormalization parameter. */
    public static ParamAxes perChannel() {
        return new ParamAxes(-1, NONE, false);
    }

    public boolean hasOut() {
        return outAxis != NONE;
    }

    public boolean hasIn() {
        return inAxis != NONE;
    }

    /** {@code axis} as a non-negative index into an array of this rank. */
    public static int resolve(int axis, int rank) {
        return axis >= 0 ? axis : rank + axis;
    }
}
