package dev.topiary.cutter;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The linear map that stands in for a cut run of layers (LLM-Streamline replaces layers by a small
 * trained module; here it is fitted in closed form): ridge least squares from the run's input
 * activations {@code X} to its output activations {@code Y} on sample rows,
 * {@code W = (X'X + lambda I)^-1 X'Y} with a bias, {@code lambda} being {@code ridge} times the mean
 * diagonal of {@code X'X} so one setting suits any activation scale. Feature maps are fitted per
 * pixel, so the map is a 1x1 convolution. With a rank, the fit is reduced-rank regression: {@code W}
 * projected onto the top {@code rank} principal directions of the fitted outputs, which is the best
 * rank-r linear map in squared error, stored as two layers through {@code rank} units.
 *
 * @param weights one {@code [in, out]} matrix, or two ({@code [in, rank]} then {@code [rank, out]})
 * @param bias {@code [out]}, added by the last layer
 * @param featureMaps true when the bridge reads and writes NCHW feature maps (1x1 convolutions)
 */
public record LinearBridge(List<INDArray> weights, INDArray bias, boolean featureMaps) {

    /**
     * Fits the bridge from activations {@code x} to {@code y}: {@code [n, d]} rows, or {@code [n, c, h, w]}
     * feature maps of one spatial size.
     *
     * @param rank null for a full-rank map
     */
    public static LinearBridge fit(INDArray x, INDArray y, double ridge, Integer rank) {
        boolean maps = x.rank() == 4;
        if (maps != (y.rank() == 4) || (maps && (x.size(2) != y.size(2) || x.size(3) != y.size(3)))) {
            throw new IllegalArgumentException("bridge: a linear bridge maps rows to rows or feature maps of one size to "
                    + "feature maps of that size; the run reads " + shape(x) + " and writes " + shape(y));
        }
        INDArray xs = pixels(x);
        INDArray ys = pixels(y);
        long n = xs.size(0);
        long in = xs.size(1);
        INDArray x1 = Nd4j.hstack(xs, Nd4j.ones(DataType.DOUBLE, n, 1));
        INDArray gram = x1.transpose().mmul(x1);
        double meanDiagonal = 0;
        for (int i = 0; i < in; i++) {
            meanDiagonal += gram.getDouble(i, i);
        }
        double lambda = ridge * Math.max(meanDiagonal / in, 1e-12);
        for (int i = 0; i < in; i++) {
            gram.putScalar(i, i, gram.getDouble(i, i) + lambda); // the bias row is not shrunk
        }
        INDArray full = solvePositiveDefinite(gram, x1.transpose().mmul(ys));
        INDArray w = full.get(NDArrayIndex.interval(0, in), NDArrayIndex.all()).dup();
        INDArray b = full.getRow(in).dup();
        long out = ys.size(1);
        if (rank == null || rank >= Math.min(in, out)) {
            return new LinearBridge(List.of(w), b, maps);
        }
        // reduced-rank regression: the top principal directions of the fitted outputs X W
        INDArray fitted = xs.mmul(w);
        INDArray cov = fitted.transpose().mmul(fitted).dup('f');
        Eigen.symmetricGeneralizedEigenvalues(cov, true); // cov now holds the eigenvectors, eigenvalues ascending
        INDArray top = cov.get(NDArrayIndex.all(), NDArrayIndex.interval(out - rank, out)).dup('c');
        return new LinearBridge(List.of(w.mmul(top), top.transpose().dup()), b, maps);
    }

    /**
     * {@code A^-1 B} for a symmetric positive definite {@code A}, by Cholesky in doubles. ND4J's
     * {@code matrix_inverse} refused ridge grams of 512 rows of a 256-wide run as singular (their
     * determinant underflows to zero although they are well conditioned), so the solve is done here.
     */
    static INDArray solvePositiveDefinite(INDArray a, INDArray b) {
        int n = (int) a.size(0);
        int m = (int) b.size(1);
        double[][] l = a.toDoubleMatrix();
        for (int j = 0; j < n; j++) {
            double d = l[j][j];
            for (int k = 0; k < j; k++) {
                d -= l[j][k] * l[j][k];
            }
            if (!(d > 0)) {
                throw new IllegalArgumentException("bridge: the run's input activations are linearly dependent (input "
                        + j + " of " + n + "); give bridgeRidge > 0");
            }
            l[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double v = l[i][j];
                for (int k = 0; k < j; k++) {
                    v -= l[i][k] * l[j][k];
                }
                l[i][j] = v / l[j][j];
            }
        }
        double[][] x = b.toDoubleMatrix();
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < n; i++) { // L y = b
                double v = x[i][c];
                for (int k = 0; k < i; k++) {
                    v -= l[i][k] * x[k][c];
                }
                x[i][c] = v / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) { // L' x = y
                double v = x[i][c];
                for (int k = i + 1; k < n; k++) {
                    v -= l[k][i] * x[k][c];
                }
                x[i][c] = v / l[i][i];
            }
        }
        return Nd4j.createFromArray(x);
    }

    /** Parameters in the bridge's layers. */
    public long params() {
        return weights.stream().mapToLong(INDArray::length).sum() + bias.length()
                + (weights.size() - 1) * weights.get(0).size(1); // the first of two layers carries a zero bias
    }

    /** The bridge's layers, named {@code name}, {@code name + "2"}, with their parameters as the network stores them. */
    public List<Bridged> layers(String name) {
        if (weights.size() == 1) {
            return List.of(layer(name, weights.get(0), bias));
        }
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, weights.get(0).size(1));
        return List.of(layer(name, weights.get(0), zero), layer(name + "2", weights.get(1), bias));
    }

    /** One bridge layer: its configuration and parameters ({@code W}, {@code b}). */
    public record Bridged(String name, Layer layer, Map<String, INDArray> params) {
    }

    private Bridged layer(String name, INDArray w, INDArray b) {
        long in = w.size(0);
        long out = w.size(1);
        if (!featureMaps) {
            Layer dense = new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.IDENTITY).build();
            return new Bridged(name, dense, Map.of("W", w.castTo(DataType.FLOAT), "b", b.reshape(out).castTo(DataType.FLOAT)));
        }
        Layer conv = new ConvolutionLayer.Builder(1, 1).nIn(in).nOut(out).stride(1, 1).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).build();
        INDArray kernel = w.transpose().dup('c').reshape('c', out, in, 1, 1); // DL4J: [out, in, kH, kW]
        return new Bridged(name, conv, Map.of("W", kernel.castTo(DataType.FLOAT), "b", b.reshape(out).castTo(DataType.FLOAT)));
    }

    /** Rows {@code [n, d]} as they are; feature maps {@code [n, c, h, w]} as one row per pixel {@code [n*h*w, c]}. */
    private static INDArray pixels(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        if (a.rank() == 2) {
            return d;
        }
        return d.permute(0, 2, 3, 1).dup('c').reshape('c', a.size(0) * a.size(2) * a.size(3), a.size(1));
    }

    private static String shape(INDArray a) {
        return Arrays.toString(Arrays.copyOfRange(a.shape(), 1, a.rank()));
    }
}
