package dev.topiary.nn.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.util.Set;

/**
 * Reads a zip's {@code preprocessor.bin} (plain Java serialization, which DL4J reads with an
 * unfiltered ObjectInputStream) under an {@link ObjectInputFilter} that admits only DL4J's input
 * preprocessors and the few JDK types they are made of. The filter runs before any class's
 * {@code readObject}, so a gadget class in a crafted model is refused without its code running;
 * the refusal names the class.
 */
final class PreprocessorAllowList implements ObjectInputFilter {

    static final String ALLOWED_PACKAGE = "org.deeplearning4j.nn.conf.preprocessor.";
    private static final Set<String> ALLOWED_CLASSES = Set.of(
            "org.deeplearning4j.nn.conf.InputPreProcessor",
            "org.deeplearning4j.nn.conf.CNN2DFormat",
            "org.deeplearning4j.nn.conf.RNNFormat",
            "java.lang.Enum",
            "java.lang.String",
            "java.lang.Number",
            "java.lang.Boolean",
            "java.lang.Byte",
            "java.lang.Character",
            "java.lang.Short",
            "java.lang.Integer",
            "java.lang.Long",
            "java.lang.Float",
            "java.lang.Double");
    private static final long MAX_DEPTH = 16;
    private static final long MAX_REFERENCES = 10_000;
    private static final long MAX_ARRAY_LENGTH = 1 << 16;

    private String rejected;

    private PreprocessorAllowList() {}

    /** Reads the entry under the filter; a disallowed class or a broken stream is refused with its reason. */
    static void check(String entryName, byte[] bytes) {
        PreprocessorAllowList filter = new PreprocessorAllowList();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            Object read = in.readObject();
            if (read == null) {
                throw new UnsafeModelException("Model zip entry '" + entryName + "' holds null, not a preprocessor");
            }
        } catch (InvalidClassException e) {
            if (filter.rejected != null) {
                throw new UnsafeModelException("Model zip entry '" + entryName + "' holds a serialized "
                        + filter.rejected + ", which is not an allowed DL4J preprocessor class ("
                        + ALLOWED_PACKAGE + "*): refusing to deserialize it", e);
            }
            throw new UnsafeModelException("Model zip entry '" + entryName + "' is not a readable preprocessor: " + e, e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new UnsafeModelException("Model zip entry '" + entryName + "' is not a readable preprocessor: " + e, e);
        }
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > MAX_ARRAY_LENGTH) {
            rejected = "object graph beyond limits (depth " + info.depth() + ", references " + info.references()
                    + ", array length " + info.arrayLength() + ")";
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || ALLOWED_CLASSES.contains(type.getName()) || type.getName().startsWith(ALLOWED_PACKAGE)) {
            return Status.ALLOWED;
        }
        rejected = type.getName();
        return Status.REJECTED;
    }
}
