package dev.topiary.nn.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Turns a network into the bytes of a DL4J ModelSerializer zip, the artifact format on the bus.
 * Read them back with {@link SafeModelLoader}.
 */
public final class ModelArtifacts {

    /** Writes a zip to the stream it is given. */
    @FunctionalInterface
    public interface ZipWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private ModelArtifacts() {}

    /**
     * The zip bytes of {@code model}; with {@code withUpdater} the optimizer state is included, so
     * training can resume exactly (it roughly doubles or triples the size for Adam).
     */
    public static byte[] save(Model model, boolean withUpdater) {
        ModelFormat.of(model);
        return bytesOf(out -> ModelSerializer.writeModel(model, out, withUpdater));
    }

    /**
     * What {@code writer} writes, as one array of exactly its size. The bytes go through a
     * temporary file rather than a growing in-memory buffer, which at its peak holds two to three
     * times the result: for a model of hundreds of megabytes that is the difference between one
     * copy of the artifact on the heap and three.
     */
    public static byte[] bytesOf(ZipWriter writer) {
        Path spool = null;
        try {
            spool = Files.createTempFile("topiary-artifact", ".zip");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16)) {
                writer.writeTo(out);
            }
            return Files.readAllBytes(spool);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialize model: " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // a stray file in the temporary directory
                }
            }
        }
    }
}
