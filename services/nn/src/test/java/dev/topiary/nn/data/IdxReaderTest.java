package dev.topiary.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheShippedFashionSubset() {
        Path small = IdxFiles.smallFashionDir();
        IdxReader.Images images = IdxReader.readImages(small.resolve("train-images-idx3-ubyte.gz"), 0);
        IdxReader.Labels labels = IdxReader.readLabels(small.resolve("train-labels-idx1-ubyte.gz"), 0, 10);
        IdxReader.checkSameCount(images, labels);

        assertEquals(5000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.cols());
        assertEquals(5000 * 784, images.pixels().length);
        assertEquals(5000, labels.values().length);
        // Fashion-MNIST's training set starts with an ankle boot (9) and a T-shirt (0)
        assertEquals(9, labels.values()[0]);
        assertEquals(0, labels.values()[1]);
        assertTrue(Arrays.stream(labels.values()).distinct().count() == 10);
    }

    @Test
    void gzippedAndPlainFilesReadTheSame() throws IOException {
        byte[] content = IdxFiles.images(3, 4, 5, 3);
        IdxReader.Images plain = IdxReader.readImages(IdxFiles.write(dir.resolve("a"), content, false), 0);
        IdxReader.Images gzipped = IdxReader.readImages(IdxFiles.write(dir.resolve("b.gz"), content, true), 0);
        assertArrayEquals(plain.pixels(), gzipped.pixels());
        assertEquals(60, plain.pixels().length);
    }

    @Test
    void limitReadsOnlyTheFirstItems() {
        Path small = IdxFiles.smallFashionDir();
        IdxReader.Images images = IdxReader.readImages(small.resolve("t10k-images-idx3-ubyte.gz"), 7);
        IdxReader.Labels labels = IdxReader.readLabels(small.resolve("t10k-labels-idx1-ubyte.gz"), 7, 10);
        assertEquals(7, images.count());
        assertEquals(1000, images.declaredCount());
        assertEquals(7 * 784, images.pixels().length);
        assertEquals(7, labels.values().length);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope-idx3-ubyte.gz");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(missing, 0));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void wrongMagicNamesExpectedAndFound() throws IOException {
        Path labels = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.labels(1, 2, 3), true);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(labels, 0));
        assertTrue(e.getMessage().contains("expected 2051") && e.getMessage().contains("found 2049")
                && e.getMessage().contains(labels.toString()), e.getMessage());
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        byte[] content = IdxFiles.images(10, 4, 4, 10);
        Path plain = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(content, content.length - 20), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(plain, 0));
        assertTrue(e.getMessage().contains("Truncated") && e.getMessage().contains(plain.toString()), e.getMessage());

        // a gzip stream cut in the middle fails inside the decompressor instead
        Path gz = IdxFiles.write(dir.resolve("full.gz"), IdxFiles.images(200, 28, 28, 200), true);
        byte[] gzBytes = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gzBytes, gzBytes.length / 2));
        DatasetException e2 = assertThrows(DatasetException.class, () -> IdxReader.readImages(cut, 0));
        assertTrue(e2.getMessage().contains("Truncated") && e2.getMessage().contains(cut.toString()), e2.getMessage());

        Path headerOnly = dir.resolve("header");
        Files.write(headerOnly, new byte[] {0, 0, 8, 3, 0, 0});
        DatasetException e3 = assertThrows(DatasetException.class, () -> IdxReader.readImages(headerOnly, 0));
        assertTrue(e3.getMessage().contains("Truncated"), e3.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path images = IdxFiles.write(dir.resolve("img"), IdxFiles.images(3, 2, 2, 3), false);
        Path labels = IdxFiles.write(dir.resolve("lbl"), IdxFiles.labels(1, 2), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.checkSameCount(
                IdxReader.readImages(images, 0), IdxReader.readLabels(labels, 0, 10)));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels")
                && e.getMessage().contains(images.toString()) && e.getMessage().contains(labels.toString()),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesIndexAndValue() throws IOException {
        Path labels = IdxFiles.write(dir.resolve("lbl"), IdxFiles.labels(1, 2, 12, 3), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(labels, 0, 10));
        assertTrue(e.getMessage().contains("label[2] = 12") && e.getMessage().contains(labels.toString()),
                e.getMessage());
    }

    @Test
    void declaredSizesAreCheckedBeforeAnythingIsAllocated() throws IOException {
        // 16 bytes that claim 2,000,000 images of 28x28 (1.5 GiB): truncated, found without allocating the claim
        Path liar = IdxFiles.write(dir.resolve("liar"), IdxFiles.images(0, 28, 28, 2_000_000), false);
        DatasetException truncated = assertThrows(DatasetException.class,
                () -> IdxReader.readImages(liar, 0, Long.MAX_VALUE));
        assertTrue(truncated.getMessage().contains("Truncated"), truncated.getMessage());

        // a claim over the memory cap is refused by its header alone
        Path big = IdxFiles.write(dir.resolve("big"), IdxFiles.images(10, 28, 28, 1000), false);
        DatasetException capped = assertThrows(DatasetException.class, () -> IdxReader.readImages(big, 0, 1 << 20));
        assertTrue(capped.getMessage().contains("over the cap of 1 MiB") && capped.getMessage().contains("?train="),
                capped.getMessage());
        assertEquals(10, IdxReader.readImages(big, 10, 1 << 20).count(), "a limit brings it under the cap");
    }
}
