package dev.topiary.nn.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Applies an {@link Augmentation} in place to the rows of a batch buffer, each row a flattened
 * {@code channels x height x width} image (row-major, as {@code Dataset} holds images).
 *
 * <p>Seeded, so a fit with the same seed sees the same images. One row at a time through a Java
 * array: a 784-pixel row costs a few microseconds, nothing beside a training step.
 */
final class ImageAugmenter {
    /** Keeps the augmentation's draws apart from the shuffle's, which uses the fit's seed itself. */
    private static final long SEED_OFFSET = 0x5DEECE66DL;

    private final Augmentation augmentation;
    private final int channels;
    private final int height;
    private final int width;
    private final SplittableRandom random;
    private final INDArray buffer;
    private final NativeFloats floats;
    private final float[] source;
    private final float[] target;

    /**
     * @param buffer the batch buffer, {@code [rows, channels * height * width]}, row-major
     * @param imageShape {@code {channels, height, width}}
     */
    ImageAugmenter(Augmentation augmentation, int[] imageShape, INDArray buffer, long seed) {
        this.augmentation = augmentation;
        this.channels = imageShape[0];
        this.height = imageShape[1];
        this.width = imageShape[2];
        this.random = new SplittableRandom(seed ^ SEED_OFFSET);
        this.buffer = buffer;
        this.floats = buffer.dataType() == DataType.FLOAT ? new NativeFloats(buffer) : null;
        int length = channels * height * width;
        if (buffer.size(1) != length) {
            throw new IllegalArgumentException("rows of " + buffer.size(1) + " features are not images of "
                    + channels + "x" + height + "x" + width);
        }
        this.source = new float[length];
        this.target = new float[length];
    }

    /** Changes the buffer's first {@code rows} rows. */
    void apply(int rows) {
        for (int r = 0; r < rows; r++) {
            boolean mirror = augmentation.flip() && random.nextBoolean();
            int dy = augmentation.shift() == 0 ? 0 : random.nextInt(-augmentation.shift(), augmentation.shift() + 1);
            int dx = augmentation.shift() == 0 ? 0 : random.nextInt(-augmentation.shift(), augmentation.shift() + 1);
            if (!mirror && dx == 0 && dy == 0) {
                continue;
            }
            readRow(r);
            transform(mirror, dy, dx);
            writeRow(r);
        }
    }

    /**
     * target(c, y, x) = source(c, y - dy, m(x - dx)), where m mirrors a column ({@code width - 1 - x})
     * when asked and leaves it otherwise: the image is mirrored, then moved; 0 where nothing lands.
     */
    private void transform(boolean mirror, int dy, int dx) {
        Arrays.fill(target, 0f);
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
                int from = plane + (y - dy) * width;
                int to = plane + y * width;
                for (int x = Math.max(0, dx); x < Math.min(width, width + dx); x++) {
                    int sx = x - dx;
                    target[to + x] = source[from + (mirror ? width - 1 - sx : sx)];
                }
            }
        }
    }

    // A network of doubles (rare: the factory builds floats) gets its changed rows rounded to float
    // here; the rows left as they are keep their doubles.
    private void readRow(int r) {
        if (floats != null) {
            floats.read((long) r * source.length, source, 0, source.length);
        } else {
            float[] row = buffer.getRow(r).toFloatVector();
            System.arraycopy(row, 0, source, 0, source.length);
        }
    }

    private void writeRow(int r) {
        if (floats != null) {
            floats.write((long) r * target.length, target, 0, target.length);
        } else {
            buffer.putRow(r, Nd4j.createFromArray(target).castTo(buffer.dataType()));
        }
    }
}
