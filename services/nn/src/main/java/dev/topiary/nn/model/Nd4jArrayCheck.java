package dev.topiary.nn.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks the two buffer headers of an ND4J binary array ({@code Nd4j.write}'s format: shape
 * buffer, then data buffer, each "allocation mode, length, data type, values") against the bytes
 * that follow, as they stream past. ND4J allocates native memory from the declared length before
 * reading any values, so without this a few crafted bytes could ask for terabytes; with it, an
 * array can be no larger than the entry that holds it. Compressed and string buffers are refused:
 * DL4J never writes them for a model, and they take other, less-trodden native code paths.
 */
final class Nd4jArrayCheck {

    // A shape buffer holds rank, shape, strides and three more longs; rank 32 is far beyond any layer.
    private static final long MAX_SHAPE_BUFFER_LENGTH = 2 * 32 + 4;

    private Nd4jArrayCheck() {}

    /**
     * Reads {@code entry} to its end, failing unless both headers fit the bytes after them; an
     * empty entry passes. An entry that is not an array is still read to its end before it is
     * refused, so the zip's limits (a bomb's ratio) are what a bomb is refused for.
     *
     * @throws IOException if the zip itself cannot be read
     */
    static void check(String entryName, InputStream entry) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(entry, 1 << 16);
        buffered.mark(1);
        if (buffered.read() < 0) {
            return; // a model without parameters
        }
        buffered.reset();
        DataInputStream in = new DataInputStream(buffered);
        try {
            Header shape = header(entryName, "shape", in);
            if (shape.length > MAX_SHAPE_BUFFER_LENGTH) {
                throw new UnsafeModelException("Model zip entry '" + entryName + "' declares a shape buffer of "
                        + shape.length + " values (at most " + MAX_SHAPE_BUFFER_LENGTH + ")");
            }
            long shapeBytes = shape.length * shape.type.width();
            long skipped = drain(in, shapeBytes);
            if (skipped < shapeBytes) {
                throw tooShort(entryName, "shape", shape, skipped);
            }
            Header data = header(entryName, "data", in);
            long held = drain(in, Long.MAX_VALUE);
            if (data.length > held / data.type.width()) {
                throw tooShort(entryName, "data", data, held);
            }
        } catch (IllegalArgumentException | NotAnArray e) {
            drain(in, Long.MAX_VALUE);
            throw new ModelLoadException("Model zip entry '" + entryName + "' is not an ND4J array: " + e.getMessage(), e);
        }
    }

    /** The entry ended inside a header. */
    private static final class NotAnArray extends RuntimeException {
        NotAnArray(String message) {
            super(message);
        }
    }

    private record Header(long length, DataType type) {}

    private static Header header(String entryName, String which, DataInputStream in) throws IOException {
        DataBuffer.AllocationMode mode;
        long length;
        DataType type;
        try {
            mode = DataBuffer.AllocationMode.valueOf(in.readUTF());
            length = mode.ordinal() < DataBuffer.AllocationMode.LONG_SHAPE.ordinal() ? in.readInt() : in.readLong();
            type = DataType.valueOf(in.readUTF());
        } catch (EOFException e) {
            if (e.getMessage() != null) {
                throw e; // the inflater's: the zip is truncated
            }
            throw new NotAnArray("it ends inside its " + which + " buffer's header");
        } catch (java.io.UTFDataFormatException e) {
            throw new NotAnArray("its " + which + " buffer's header is not text: " + e.getMessage());
        }
        if (type.width() <= 0 || type == DataType.UTF8) {
            throw new UnsafeModelException("Model zip entry '" + entryName + "' has a " + which + " buffer of type "
                    + type + ", which a DL4J model never holds");
        }
        if (length < 0) {
            throw new UnsafeModelException("Model zip entry '" + entryName + "' declares a " + which + " buffer of "
                    + length + " values");
        }
        return new Header(length, type);
    }

    /** Reads and drops up to {@code max} bytes; returns how many there were. */
    private static long drain(InputStream in, long max) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while (total < max && (n = in.read(buffer, 0, (int) Math.min(buffer.length, max - total))) > 0) {
            total += n;
        }
        return total;
    }

    private static UnsafeModelException tooShort(String entryName, String which, Header h, long held) {
        return new UnsafeModelException("Model zip entry '" + entryName + "' declares a " + which + " buffer of "
                + h.length + " " + h.type + " values but holds only " + held + " bytes after its header");
    }
}
