package dev.topiary.nn.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A labelled data set held in memory, split into train and test.
 *
 * <p>Features are float rows {@code [samples, features]}, scaled to about [0, 1]; images are
 * flattened row-major (a model with a convolutional input type reshapes them itself). Labels are
 * one-hot {@code [samples, classes]}.
 *
 * @param name the name a pipeline used, e.g. {@code fashion-mnist} or {@code idx:/data/mnist}
 * @param source where the data came from, for the log line and error messages
 * @param imageShape {@code {channels, height, width}} for image data, null for plain feature rows
 */
public record Dataset(
        String name,
        String source,
        INDArray trainFeatures,
        INDArray trainLabels,
        INDArray testFeatures,
        INDArray testLabels,
        int numClasses,
        int[] imageShape) {

    public int numFeatures() {
        return (int) trainFeatures.size(1);
    }

    public int trainSize() {
        return (int) trainFeatures.size(0);
    }

    public int testSize() {
        return (int) testFeatures.size(0);
    }

    /**
     * The first {@code train} training and {@code test} test rows (0 or more than there are: all),
     * as views sharing this data set's memory: cheap, and read-only like every cached data set.
     */
    public Dataset limit(int train, int test) {
        return new Dataset(name, source,
                firstRows(trainFeatures, train), firstRows(trainLabels, train),
                firstRows(testFeatures, test), firstRows(testLabels, test),
                numClasses, imageShape);
    }

    /** The same data under another name (e.g. the name a pipeline asked for). */
    public Dataset withName(String newName) {
        return new Dataset(newName, source, trainFeatures, trainLabels, testFeatures, testLabels, numClasses,
                imageShape);
    }

    private static INDArray firstRows(INDArray rows, int n) {
        if (n <= 0 || n >= rows.size(0)) {
            return rows;
        }
        return rows.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }
}
