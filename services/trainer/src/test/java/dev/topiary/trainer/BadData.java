package dev.topiary.trainer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small MNIST-format directories, each broken in one way on purpose. */
final class BadData {
    static final int IMAGES = 2051;
    static final int LABELS = 2049;

    private BadData() {}

    /** A complete 28x28 directory; {@code imageMagic}, the label counts and the test labels are the knobs. */
    static Path dir(Path root, String name, int imageMagic, int trainImages, int trainLabels, int testLabel)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.write(dir.resolve("train-images-idx3-ubyte"), images(imageMagic, trainImages));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(trainLabels, 0));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(IMAGES, 4));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(4, testLabel));
        return dir;
    }

    private static byte[] images(int magic, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(28);
        out.writeInt(28);
        out.write(new byte[count * 28 * 28]);
        return bytes.toByteArray();
    }

    /** Labels cycle through 0..9, except the last, which is {@code last} when nonzero. */
    private static byte[] labels(int count, int last) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(LABELS);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeByte(i == count - 1 && last != 0 ? last : i % 10);
        }
        return bytes.toByteArray();
    }
}
