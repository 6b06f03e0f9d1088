package dev.topiary.nn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-format IDX files (images, magic 2051; labels, magic 2049), gzipped or not, because
 * that is the format Fashion-MNIST, MNIST and many of their look-alikes ship in and DL4J's own
 * fetchers need the internet. Bytes are read in bulk and at most {@code limit} items are read, so
 * the full Fashion-MNIST loads in about a second and a test subset in milliseconds. Every failure is
 * a {@link DatasetException} naming the file: missing, wrong magic, truncated, counts that differ,
 * labels out of range.
 *
 * <p>Sizes in a header are claims, checked before anything is allocated: the images must fit, as
 * the floats a data set holds, in half this process's heap, and arrays grow with the bytes
 * actually read, so a 16-byte file that declares a million images costs 16 bytes, not a gigabyte.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int BUFFER_BYTES = 1 << 16;
    // One image larger than this is not MNIST-like; refusing early avoids a huge allocation on a corrupt header.
    private static final long MAX_PIXELS_PER_IMAGE = 1L << 24;

    /** Images as unsigned bytes, row-major, {@code count} of the {@code declaredCount} in the file. */
    public record Images(Path file, int declaredCount, int count, int rows, int cols, byte[] pixels) {
        public int pixelsPerImage() {
            return rows * cols;
        }
    }

    /** Labels as ints, {@code values.length} of the {@code declaredCount} in the file. */
    public record Labels(Path file, int declaredCount, int[] values) {}

    private IdxReader() {}

    /** Reads the first {@code limit} images (all when {@code limit <= 0} or larger than the file). */
    public static Images readImages(Path file, int limit) {
        return readImages(file, limit, Runtime.getRuntime().maxMemory() / 2);
    }

    /** As above, refusing images whose pixels and floats together would take more than {@code memoryCap} bytes. */
    static Images readImages(Path file, int limit, long memoryCap) {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in.readInt(), IMAGES_MAGIC);
            int declared = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (declared < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > MAX_PIXELS_PER_IMAGE) {
                throw new DatasetException("Corrupt IDX header in " + file + ": " + declared + " images of "
                        + rows + "x" + cols);
            }
            int count = take(declared, limit);
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new DatasetException(file + ": " + count + " images of " + rows + "x" + cols
                        + " do not fit in one array; pass a limit (e.g. ?train=10000)");
            }
            // held as bytes while read, then as 4-byte floats
            if (bytes * (1 + Float.BYTES) > memoryCap) {
                throw new DatasetException(file + ": " + count + " images of " + rows + "x" + cols + " would take "
                        + (bytes * (1 + Float.BYTES) >> 20) + " MiB in memory, over the cap of " + (memoryCap >> 20)
                        + " MiB (half this process's heap); pass a limit (e.g. ?train=10000) or a larger -Xmx");
            }
            byte[] pixels = readFully(file, in, (int) bytes,
                    "pixel data for " + count + " images of " + rows + "x" + cols);
            return new Images(file, declared, count, rows, cols, pixels);
        } catch (EOFException e) {
            throw truncated(file, "in the header", e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Reads the first {@code limit} labels (all when {@code limit <= 0}); each must be below
     * {@code numClasses} (pass 256 to accept any byte).
     */
    public static Labels readLabels(Path file, int limit, int numClasses) {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in.readInt(), LABELS_MAGIC);
            int declared = in.readInt();
            if (declared < 0) {
                throw new DatasetException("Corrupt IDX header in " + file + ": " + declared + " labels");
            }
            int count = take(declared, limit);
            byte[] raw = readFully(file, in, count, "labels for " + count + " items");
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                int label = raw[i] & 0xFF;
                if (label >= numClasses) {
                    throw new DatasetException("Label out of range in " + file + ": label[" + i + "] = " + label
                            + ", expected 0.." + (numClasses - 1));
                }
                values[i] = label;
            }
            return new Labels(file, declared, values);
        } catch (EOFException e) {
            throw truncated(file, "in the header", e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Fails unless both files declare the same number of items: a mismatch means they are not a pair. */
    public static void checkSameCount(Images images, Labels labels) {
        if (images.declaredCount() != labels.declaredCount()) {
            throw new DatasetException("Image/label count mismatch: " + images.file() + " has "
                    + images.declaredCount() + " images but " + labels.file() + " has "
                    + labels.declaredCount() + " labels");
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        } catch (NoSuchFileException e) {
            throw new DatasetException("Data file not found: " + file);
        }
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 >= 0 && b1 >= 0 && ((b0 << 8) | b1) == GZIP_MAGIC) {
                raw = new BufferedInputStream(new GZIPInputStream(raw, BUFFER_BYTES), BUFFER_BYTES);
            }
            return new DataInputStream(raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static void checkMagic(Path file, int found, int expected) {
        if (found != expected) {
            throw new DatasetException("Wrong magic number in " + file + ": expected " + expected + " ("
                    + kind(expected) + "), found " + found + " (" + kind(found) + ")");
        }
    }

    private static String kind(int magic) {
        return switch (magic) {
            case IMAGES_MAGIC -> "IDX images";
            case LABELS_MAGIC -> "IDX labels";
            default -> "not an MNIST IDX file";
        };
    }

    private static int take(int declared, int limit) {
        return limit <= 0 ? declared : Math.min(declared, limit);
    }

    /** Grows with the bytes actually read, so a header that claims more than the file holds costs no more than the file. */
    private static byte[] readFully(Path file, InputStream in, int length, String what) throws IOException {
        byte[] out = new byte[Math.min(length, 1 << 24)];
        int read = 0;
        try {
            while (read < length) {
                if (read == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(length, 2L * out.length));
                }
                int n = in.read(out, read, out.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (EOFException e) {
            throw truncated(file, "(" + what + ")", e);
        }
        if (read < length) {
            throw new DatasetException("Truncated file " + file + ": expected " + length + " bytes of " + what
                    + ", found " + read);
        }
        return out;
    }

    private static DatasetException truncated(Path file, String where, IOException cause) {
        return new DatasetException("Truncated file " + file + ": it ends early " + where, cause);
    }

    private static DatasetException unreadable(Path file, IOException e) {
        if (e instanceof ZipException) {
            return new DatasetException("Corrupt gzip data in " + file + ": " + e.getMessage(), e);
        }
        return new DatasetException("Cannot read " + file + ": " + e, e);
    }
}
