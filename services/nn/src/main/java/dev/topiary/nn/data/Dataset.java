package dev.topiary.nn.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A labelled data set held in memory, split into train and test, with a holdout.
 *
 * <p>The holdout is the last {@value #HOLDOUT_PERCENT}% of the training rows: fixed rows,
 * independent of any seed, that no stage trains on ({@code Trainer} leaves them out) and on which
 * every choice is made: early stopping, the accuracy-budget search, picking among versions. The
 * test split is only ever reported on, so the accuracy a version reports was never chosen for.
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

    /** The holdout's share of the training rows, in percent. */
    public static final int HOLDOUT_PERCENT = 10;

    public int numFeatures() {
        return (int) trainFeatures.size(1);
    }

    public int trainSize() {
        return (int) trainFeatures.size(0);
    }

    public int testSize() {
        return (int) testFeatures.size(0);
    }

    /** Rows in the holdout: the last tenth of the training rows (rounded down). */
    public int holdoutSize() {
        return trainSize() * HOLDOUT_PERCENT / 100;
    }

    /** Training rows a stage may train on: rows {@code 0 .. fitSize() - 1}; the holdout follows them. */
    public int fitSize() {
        return trainSize() - holdoutSize();
    }

    /** The holdout's features: training rows {@code fitSize() .. trainSize() - 1}, a view. */
    public INDArray holdoutFeatures() {
        requireHoldout();
        return trainFeatures.get(NDArrayIndex.interval(fitSize(), trainSize()), NDArrayIndex.all());
    }

    public INDArray holdoutLabels() {
        requireHoldout();
        return trainLabels.get(NDArrayIndex.interval(fitSize(), trainSize()), NDArrayIndex.all());
    }

    private void requireHoldout() {
        if (holdoutSize() == 0) {
            throw new DatasetException("Data set " + name + " has no holdout: its " + trainSize()
                    + " training rows are fewer than " + (100 / HOLDOUT_PERCENT) + "; give it more training rows");
        }
    }

    /**
     * What a version records as its selection split, e.g. {@code holdout of fashion-mnist: training
     * rows 54000-59999}; null for a data set too small to have one.
     */
    public String holdoutDescription() {
        return holdoutSize() == 0 ? null : "holdout of " + name + ": training rows " + fitSize() + "-" + (trainSize() - 1);
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

    /**
     * Only the rows whose class is in {@code classes}, train and test alike, in their order (copies);
     * labels keep their width. A class the data set does not have is an error.
     */
    public Dataset withClasses(java.util.Set<Integer> classes) {
        for (int c : classes) {
            if (c >= numClasses) {
                throw new DatasetException("Data set " + name + " has classes 0-" + (numClasses - 1) + ", not " + c);
            }
        }
        return new Dataset(name, source, rowsOf(trainFeatures, trainLabels, classes), rowsOf(trainLabels, trainLabels, classes),
                rowsOf(testFeatures, testLabels, classes), rowsOf(testLabels, testLabels, classes), numClasses, imageShape);
    }

    private static INDArray rowsOf(INDArray rows, INDArray labels, java.util.Set<Integer> classes) {
        long[] classOf = labels.argMax(1).toLongVector();
        long[] keep = java.util.stream.IntStream.range(0, classOf.length).filter(i -> classes.contains((int) classOf[i]))
                .mapToLong(i -> i).toArray();
        if (keep.length == 0) {
            throw new DatasetException("Data set has no rows of classes " + classes);
        }
        return rows.get(NDArrayIndex.indices(keep), NDArrayIndex.all()).dup();
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
