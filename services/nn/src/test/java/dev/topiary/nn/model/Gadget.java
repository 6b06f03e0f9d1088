package dev.topiary.nn.model;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for a deserialization gadget: reading it runs code (sets a flag and creates a file),
 * which is exactly what a crafted {@code preprocessor.bin} would do to a plain ObjectInputStream.
 */
public class Gadget implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static volatile boolean triggered;

    private final String markerFile;

    Gadget(Path markerFile) {
        this.markerFile = markerFile.toString();
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        triggered = true;
        Files.createFile(Path.of(markerFile));
    }
}
