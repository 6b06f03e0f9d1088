package dev.topiary.nn.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Turns a network into the bytes of a DL4J ModelSerializer zip, the artifact format on the bus,
 * in memory: artifacts go to a store or a Kafka topic, never to a local file first. Read them
 * back with {@link SafeModelLoader}.
 */
public final class ModelArtifacts {

    private ModelArtifacts() {}

    /**
     * The zip bytes of {@code model}; with {@code withUpdater} the optimizer state is included, so
     * training can resume exactly (it roughly doubles or triples the size for Adam).
     */
    public static byte[] save(Model model, boolean withUpdater) {
        ModelFormat.of(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model, out, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialize model to memory", e);
        }
        return out.toByteArray();
    }
}
