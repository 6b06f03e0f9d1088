package dev.topiary.nn.train;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A movable window on the native memory of one float INDArray, for OpenBLAS calls and bulk copies
 * to and from Java arrays without going through ND4J's op machinery.
 *
 * <p>It owns its own pointer object: moving the position of the pointer ND4J hands out would
 * shift every later ND4J op on that buffer. It keeps a reference to the array so the memory
 * cannot be freed while in use. Only for contiguous arrays the caller lays out itself.
 */
final class NativeFloats {
    private final INDArray owner;
    private final FloatPointer pointer;
    private final BytePointer bytes;

    NativeFloats(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("float array expected, got " + array.dataType());
        }
        this.owner = array;
        long start = array.data().addressPointer().address(); // the buffer's address plus the view's offset
        if (start == 0) {
            throw new IllegalArgumentException("array has no native memory");
        }
        this.pointer = new FloatPointer() {
            {
                address = start; // a protected field: the only way to point a JavaCPP pointer at foreign memory
            }
        };
        this.bytes = new BytePointer() {
            {
                address = start;
            }
        };
    }

    long address() {
        return pointer.address();
    }

    /** The pointer moved to element {@code offset}, valid until the next call on this window. */
    FloatPointer at(long offset) {
        return pointer.position(offset);
    }

    void read(long offset, float[] target, int targetOffset, int length) {
        pointer.position(offset).get(target, targetOffset, length);
    }

    void write(long offset, float[] source, int sourceOffset, int length) {
        pointer.position(offset).put(source, sourceOffset, length);
    }

    /** Native-to-native copy of {@code length} floats (memcpy: the windows must not overlap). */
    static void copy(NativeFloats from, long fromOffset, NativeFloats to, long toOffset, long length) {
        Pointer.memcpy(to.bytes.position(toOffset * Float.BYTES), from.bytes.position(fromOffset * Float.BYTES),
                length * Float.BYTES);
    }
}
