package dev.topiary.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class DatasetCatalogTest {

    @TempDir
    Path dir;

    @Test
    void shippedSubsetLoadsScaledAndOneHot() {
        Dataset data = DatasetCatalog.resolve("fashion-mnist-small");
        assertEquals(5000, data.trainSize());
        assertEquals(1000, data.testSize());
        assertEquals(784, data.numFeatures());
        assertEquals(10, data.numClasses());
        assertArrayEquals(new int[] {1, 28, 28}, data.imageShape());
        assertEquals(0.0, data.trainFeatures().minNumber().doubleValue());
        assertEquals(1.0, data.trainFeatures().maxNumber().doubleValue(), 1e-6);
        INDArray rowSums = data.trainLabels().sum(1);
        assertEquals(5000.0, rowSums.sumNumber().doubleValue());
        assertEquals(1.0, rowSums.maxNumber().doubleValue());
        assertEquals(9, data.trainLabels().getRow(0).argMax().getInt(0));
        assertTrue(data.source().endsWith("fashion-mnist-small"), data.source());
    }

    @Test
    void loadsOncePerProcessAndSharesSlices() {
        Dataset first = DatasetCatalog.resolve("fashion-mnist-small");
        assertSame(first, DatasetCatalog.resolve("fashion-mnist-small"));
        Dataset limited = DatasetCatalog.resolve("fashion-mnist-small?train=100&test=20");
        assertSame(limited, DatasetCatalog.resolve("fashion-mnist-small?test=20&train=100"));
        assertEquals(100, limited.trainSize());
        assertEquals(20, limited.testSize());
        assertEquals(first.trainFeatures().getRow(99), limited.trainFeatures().getRow(99));
    }

    @Test
    void limitsReadOnlyTheFirstRowsWhenNothingIsCached() {
        DatasetCatalog.clearCache();
        Dataset data = DatasetCatalog.resolve("fashion-mnist-small?train=300&test=50");
        assertEquals(300, data.trainSize());
        assertEquals(50, data.testSize());
        assertEquals(10, data.numClasses());
        assertEquals("fashion-mnist-small?train=300&test=50", data.name());
    }

    @Test
    void fashionMnistUsesTheFullSetWhenInstalledElseTheSubset() {
        assumeTrue(System.getenv(DatasetCatalog.DATA_DIR_ENV) == null, "TOPIARY_DATA_DIR overrides the location");
        Dataset data = DatasetCatalog.resolve("fashion-mnist?train=2000&test=500");
        assertEquals(2000, data.trainSize());
        assertEquals(500, data.testSize());
        boolean full = IdxDatasetLoader.isIdxDirectory(DatasetCatalog.SYSTEM_FASHION_MNIST);
        assertEquals(full, data.source().equals(DatasetCatalog.SYSTEM_FASHION_MNIST.toString()), data.source());
    }

    @Test
    void fullFashionMnistLoadsInSecondsAndOnce() {
        assumeTrue(IdxDatasetLoader.isIdxDirectory(DatasetCatalog.SYSTEM_FASHION_MNIST),
                "full Fashion-MNIST is not installed at " + DatasetCatalog.SYSTEM_FASHION_MNIST);
        assumeTrue(System.getenv(DatasetCatalog.DATA_DIR_ENV) == null, "TOPIARY_DATA_DIR overrides the location");
        try {
            long start = System.nanoTime();
            Dataset full = DatasetCatalog.resolve("fashion-mnist");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(60_000, full.trainSize());
            assertEquals(10_000, full.testSize());
            assertEquals(784, full.numFeatures());
            // about a second on an idle 2-core machine; the bound leaves room for a busy one
            assertTrue(millis < 30_000, "loading took " + millis + " ms");
            assertSame(full, DatasetCatalog.resolve("fashion-mnist"));
            Dataset slice = DatasetCatalog.resolve("fashion-mnist?train=10&test=10");
            assertEquals(full.testFeatures().getRow(9), slice.testFeatures().getRow(9));
        } finally {
            DatasetCatalog.clearCache();
        }
    }

    @Test
    void dataDirPropertyIsHonoured() throws IOException {
        Path small = dir.resolve("fashion-mnist-small");
        Files.createDirectories(small);
        IdxFiles.write(small.resolve("train-images-idx3-ubyte"), IdxFiles.images(6, 28, 28, 6), false);
        IdxFiles.write(small.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(0, 1, 2, 3, 4, 5), false);
        IdxFiles.write(small.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(2, 28, 28, 2), false);
        IdxFiles.write(small.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(9, 8), false);
        System.setProperty(DatasetCatalog.DATA_DIR_PROPERTY, dir.toString());
        try {
            DatasetCatalog.clearCache();
            Dataset data = DatasetCatalog.resolve("fashion-mnist-small");
            assertEquals(6, data.trainSize());
            assertEquals(small.toString(), data.source());
        } finally {
            System.clearProperty(DatasetCatalog.DATA_DIR_PROPERTY);
            DatasetCatalog.clearCache();
        }
    }

    @Test
    void aDataDirWithOnlyTheSubsetForcesItWhereTheFullSetIsInstalled() {
        Path repoData = IdxFiles.smallFashionDir().getParent();
        System.setProperty(DatasetCatalog.DATA_DIR_PROPERTY, repoData.toString());
        try {
            DatasetCatalog.clearCache();
            Dataset data = DatasetCatalog.resolve("fashion-mnist?train=100&test=10");
            assertEquals(IdxFiles.smallFashionDir().toString(), data.source());
        } finally {
            System.clearProperty(DatasetCatalog.DATA_DIR_PROPERTY);
            DatasetCatalog.clearCache();
        }
    }

    @Test
    void idxDirectoryAcceptsUncompressedNamesAndInfersClasses() throws IOException {
        Path small = IdxFiles.smallFashionDir();
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(small.resolve(name + ".gz")))) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        Dataset data = DatasetCatalog.resolve("idx:" + dir + "?train=1000&test=100");
        assertEquals(1000, data.trainSize());
        assertEquals(100, data.testSize());
        assertEquals(10, data.numClasses());
        Dataset reference = DatasetCatalog.resolve("fashion-mnist-small");
        assertEquals(reference.trainFeatures().getRow(5), data.trainFeatures().getRow(5));
    }

    @Test
    void idxTestLabelBeyondTrainingClassesIsRefused() throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFiles.images(3, 2, 2, 3), true);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFiles.labels(0, 1, 2), true);
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.images(2, 2, 2, 2), true);
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.labels(1, 7), true);
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("idx:" + dir));
        assertTrue(e.getMessage().contains("label[1] = 7"), e.getMessage());
    }

    @Test
    void idxDirectoryWithoutFilesNamesWhatIsMissing() {
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("idx:" + dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void csvWithHeaderAndNamedLabel() throws IOException {
        StringBuilder csv = new StringBuilder("a,species,b,c\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i).append(',').append(i % 3).append(',').append(1000 - 2 * i).append(',').append(i % 3)
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("t.csv"), csv);
        Dataset data = DatasetCatalog.resolve("csv:" + file + "?label=species");
        assertEquals(80, data.trainSize());
        assertEquals(20, data.testSize());
        assertEquals(3, data.numFeatures());
        assertEquals(3, data.numClasses());
        assertNull(data.imageShape());
        assertEquals(0.0, data.trainFeatures().minNumber().doubleValue(), 1e-6);
        assertEquals(1.0, data.trainFeatures().maxNumber().doubleValue(), 1e-6);
        // a is i and b is 1000-2i, so scaled with the same train range they sum to 1 in every row
        INDArray ab = data.testFeatures().getColumns(0, 1);
        assertEquals(1.0, ab.sum(1).minNumber().doubleValue(), 1e-5);
        assertEquals(1.0, ab.sum(1).maxNumber().doubleValue(), 1e-5);
        // c repeats the label (0..2, scaled to 0..1), so features and labels stayed paired through the shuffle
        for (int r = 0; r < data.trainSize(); r++) {
            int c = (int) Math.round(data.trainFeatures().getDouble(r, 2) * 2);
            assertEquals(c, data.trainLabels().getRow(r).argMax().getInt(0));
        }
        Dataset again = CsvDatasetLoader.load("again", file, "1", 0, 0);
        assertEquals(data.testFeatures(), again.testFeatures());
    }

    @Test
    void csvWithoutHeaderUsesTheLastColumnAndLimits() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            csv.append(i * 0.5).append(',').append(7).append(',').append(i % 2).append('\n');
        }
        Path file = Files.writeString(dir.resolve("plain.csv"), csv);
        Dataset data = DatasetCatalog.resolve("csv:" + file + "?train=10&test=5");
        assertEquals(10, data.trainSize());
        assertEquals(5, data.testSize());
        assertEquals(2, data.numClasses());
        // a constant column scales to 0
        assertEquals(0.0, data.trainFeatures().getColumn(1).maxNumber().doubleValue());
    }

    @Test
    void csvErrorsNameLineAndColumn() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "x,y\n1,0\n2,1,3\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("csv:" + ragged));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("expected 2 columns"), e.getMessage());

        Path text = Files.writeString(dir.resolve("text.csv"), "x,y\n1,0\nabc,1\n");
        e = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("csv:" + text));
        assertTrue(e.getMessage().contains("line 3 column 0 (x)") && e.getMessage().contains("abc"), e.getMessage());

        Path fractional = Files.writeString(dir.resolve("frac.csv"), "1,0\n2,1.5\n3,1\n");
        e = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("csv:" + fractional));
        assertTrue(e.getMessage().contains("label 1.5"), e.getMessage());

        Path named = Files.writeString(dir.resolve("named.csv"), "x,y\n1,0\n2,1\n");
        e = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("csv:" + named + "?label=z"));
        assertTrue(e.getMessage().contains("no column named 'z'") && e.getMessage().contains("x, y"), e.getMessage());
    }

    @Test
    void badNamesAreExplained() {
        DatasetException unknown = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("cifar-10"));
        assertTrue(unknown.getMessage().contains("cifar-10") && unknown.getMessage().contains("idx:DIR"));
        DatasetException badLimit = assertThrows(DatasetException.class,
                () -> DatasetCatalog.resolve("fashion-mnist?train=-5"));
        assertTrue(badLimit.getMessage().contains("train=-5"), badLimit.getMessage());
        DatasetException badOption = assertThrows(DatasetException.class,
                () -> DatasetCatalog.resolve("fashion-mnist?shuffle=true"));
        assertTrue(badOption.getMessage().contains("shuffle=true"), badOption.getMessage());
    }

    @Test
    void aLabelFilterKeepsOnlyThoseClassesBeforeTheLimits() {
        Dataset low = DatasetCatalog.resolve("fashion-mnist-small?labels=0-4&train=500&test=100");
        assertEquals(500, low.trainSize());
        assertEquals(100, low.testSize());
        assertEquals(10, low.trainLabels().size(1), "one-hot over all ten classes");
        assertTrue(low.trainLabels().argMax(1).maxNumber().intValue() <= 4);
        assertTrue(low.testLabels().argMax(1).maxNumber().intValue() <= 4);
        Dataset odd = DatasetCatalog.resolve("fashion-mnist-small?labels=1,3");
        java.util.Set<Long> classes = new java.util.TreeSet<>();
        for (long c : odd.trainLabels().argMax(1).toLongVector()) {
            classes.add(c);
        }
        assertEquals(java.util.Set.of(1L, 3L), classes);
        assertSame(odd, DatasetCatalog.resolve("fashion-mnist-small?labels=3,1"));
        DatasetException bad = assertThrows(DatasetException.class, () -> DatasetCatalog.resolve("fashion-mnist-small?labels=4-2"));
        assertTrue(bad.getMessage().contains("labels=4-2"), bad.getMessage());
    }
}
