package dev.topiary.nn.model;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks the two buffer headers of an ND4J binary array ({@code Nd4j.write}'s format: shape
 * buffer, then data buffer, each "allocation mode, length, data type, values") against the bytes
 * that follow. ND4J allocates native memory from the declared length before reading any values,
 * so without this a few crafted bytes could ask for terabytes; with it, an array can be no larger
 * than the entry that holds it. Compressed and string buffers are refused: DL4J never writes them
 * for a model, and they take other, less-trodden native code paths.
 */
final class Nd4jArrayCheck {

    // A shape buffer holds rank, shape, strides and three more longs; rank 32 is far beyond any layer.
    private static final long MAX_SHAPE_BUFFER_LENGTH = 2 * 32 + 4;

    private Nd4jArrayCheck() {}

    static void check(String entryName, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long shapeLength = checkBuffer(entryName, "shape", in);
            if (shapeLength > MAX_SHAPE_BUFFER_LENGTH) {
                throw new UnsafeModelException("Model zip entry '" + entryName + "' declares a shape buffer of "
                        + shapeLength + " values (at most " + MAX_SHAPE_BUFFER_LENGTH + ")");
            }
            checkBuffer(entryName, "data", in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException("Model zip entry '" + entryName + "' is not an ND4J array: " + e, e);
        }
    }

    /** Reads one header, checks its values are present, skips them and returns the declared length. */
    private static long checkBuffer(String entryName, String which, DataInputStream in) throws IOException {
        DataBuffer.AllocationMode mode = DataBuffer.AllocationMode.valueOf(in.readUTF());
        long length = mode.ordinal() < DataBuffer.AllocationMode.LONG_SHAPE.ordinal() ? in.readInt() : in.readLong();
        DataType type = DataType.valueOf(in.readUTF());
        int width = type.width();
        if (width <= 0 || type == DataType.UTF8) {
            throw new UnsafeModelException("Model zip entry '" + entryName + "' has a " + which + " buffer of type "
                    + type + ", which a DL4J model never holds");
        }
        long available = in.available();
        if (length < 0 || length > available / width) {
            throw new UnsafeModelException("Model zip entry '" + entryName + "' declares a " + which + " buffer of "
                    + length + " " + type + " values but holds only " + available + " bytes after its header");
        }
        in.skipNBytes(length * width);
        return length;
    }
}
