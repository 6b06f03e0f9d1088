package dev.topiary.nn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a directory of MNIST-format IDX files into a {@link Dataset}: pixels scaled to [0, 1] as
 * flat rows, labels one-hot. It accepts the standard file names with or without {@code .gz} (and
 * the dotted {@code train-images.idx3-ubyte} spelling of some mirrors), so any MNIST look-alike
 * dropped into a folder works as {@code idx:DIR}.
 */
final class IdxDatasetLoader {

    private IdxDatasetLoader() {}

    /** True when {@code dir} holds all four IDX files. */
    static boolean isIdxDirectory(Path dir) {
        return Files.isDirectory(dir)
                && List.of("train-images", "train-labels", "t10k-images", "t10k-labels").stream()
                        .allMatch(stem -> find(dir, stem) != null);
    }

    /**
     * Loads the first {@code trainLimit}/{@code testLimit} rows (0: all). With {@code numClasses <= 0}
     * the class count is the largest training label + 1, and a test label beyond it is an error.
     */
    static Dataset load(String name, String source, Path dir, int trainLimit, int testLimit, int numClasses) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("Data set " + name + ": directory not found: " + dir);
        }
        IdxReader.Images trainImages = IdxReader.readImages(require(dir, "train-images"), trainLimit);
        IdxReader.Labels trainLabels = IdxReader.readLabels(require(dir, "train-labels"), trainLimit,
                numClasses > 0 ? numClasses : 256);
        IdxReader.checkSameCount(trainImages, trainLabels);
        int classes = numClasses > 0 ? numClasses : maxPlusOne(trainLabels.values());

        IdxReader.Images testImages = IdxReader.readImages(require(dir, "t10k-images"), testLimit);
        IdxReader.Labels testLabels = IdxReader.readLabels(require(dir, "t10k-labels"), testLimit, classes);
        IdxReader.checkSameCount(testImages, testLabels);
        if (testImages.rows() != trainImages.rows() || testImages.cols() != trainImages.cols()) {
            throw new DatasetException("Data set " + name + ": test images are " + testImages.rows() + "x"
                    + testImages.cols() + " but train images are " + trainImages.rows() + "x" + trainImages.cols());
        }
        return new Dataset(name, source,
                pixelsToRows(trainImages), OneHot.encode(trainLabels.values(), classes),
                pixelsToRows(testImages), OneHot.encode(testLabels.values(), classes),
                classes, new int[] {1, trainImages.rows(), trainImages.cols()});
    }

    private static INDArray pixelsToRows(IdxReader.Images images) {
        byte[] pixels = images.pixels();
        float[] data = new float[pixels.length];
        final float scale = 1f / 255f;
        for (int i = 0; i < pixels.length; i++) {
            data[i] = (pixels[i] & 0xFF) * scale;
        }
        return Nd4j.create(data, new long[] {images.count(), images.pixelsPerImage()}, DataType.FLOAT);
    }

    private static int maxPlusOne(int[] labels) {
        int max = 0;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return max + 1;
    }

    private static Path require(Path dir, String stem) {
        Path found = find(dir, stem);
        if (found == null) {
            throw new DatasetException("Data file not found: " + dir.resolve(stem + "-" + suffix(stem) + "-ubyte")
                    + "[.gz] (also tried " + stem + "." + suffix(stem) + "-ubyte[.gz])");
        }
        return found;
    }

    private static Path find(Path dir, String stem) {
        String idx = suffix(stem);
        for (String candidate : List.of(stem + "-" + idx + "-ubyte.gz", stem + "-" + idx + "-ubyte",
                stem + "." + idx + "-ubyte.gz", stem + "." + idx + "-ubyte")) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String suffix(String stem) {
        return stem.endsWith("images") ? "idx3" : "idx1";
    }
}
