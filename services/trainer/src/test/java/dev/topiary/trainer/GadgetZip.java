package dev.topiary.trainer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A real model zip carrying a serialized "gadget" in {@code preprocessor.bin}, the entry DL4J's
 * ModelSerializer would hand to an unfiltered ObjectInputStream. If the gadget is ever
 * deserialized, its readObject runs and sets {@link Gadget#ran}.
 */
final class GadgetZip {
    private GadgetZip() {}

    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true; // a real gadget chain would run a command here
        }
    }

    static byte[] of(byte[] modelZip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(modelZip));
             ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(in.readAllBytes());
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("preprocessor.bin"));
            ByteArrayOutputStream gadget = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(gadget)) {
                o.writeObject(new Gadget());
            }
            out.write(gadget.toByteArray());
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
