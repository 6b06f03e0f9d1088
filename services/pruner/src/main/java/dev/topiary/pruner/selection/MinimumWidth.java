package dev.topiary.pruner.selection;

/**
 * The fewest channels a layer may keep, so no layer is pruned away entirely (which would cut the
 * network in two): at least {@code count}, and at least {@code fraction} of the layer's original
 * width.
 */
public record MinimumWidth(int count, double fraction) {
    public static final MinimumWidth ONE = new MinimumWidth(1, 0);

    public MinimumWidth {
        if (count < 1) {
            throw new IllegalArgumentException("minimum width must be at least 1 channel, got " + count);
        }
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("minimum width fraction must be in [0, 1), got " + fraction);
        }
    }

    /** A whole number ({@code >= 1}) is a count; a value in (0, 1) is a fraction of the original width. */
    public static MinimumWidth of(double value) {
        return value >= 1 ? new MinimumWidth((int) Math.round(value), 0) : new MinimumWidth(1, value);
    }

    public int of(int originalWidth) {
        return Math.min(originalWidth, Math.max(count, (int) Math.ceil(fraction * originalWidth - 1e-9)));
    }
}
