package dev.topiary.nn.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, so each failure mode can be produced on purpose. */
final class IdxFiles {

    private IdxFiles() {}

    static byte[] images(int count, int rows, int cols, int declaredCount) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.IMAGES_MAGIC);
        out.writeInt(declaredCount);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            out.writeByte(i % 256);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int... values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(values.length);
        for (int v : values) {
            out.writeByte(v);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    /** The repository's shipped subset, found the way DatasetCatalog finds it. */
    static Path smallFashionDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("data/fashion-mnist-small");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("data/fashion-mnist-small not found above " + Path.of("").toAbsolutePath());
    }
}
