package dev.topiary.nn.recovery;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.Sample;
import dev.topiary.nn.threads.ModelWork;
import dev.topiary.nn.threads.NativeThreads;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Refits a changed network's output layer to the features the layers below it now produce: after
 * a cut the head reads another layer's output than the one it was trained on, and every healing
 * step it takes to relearn that is a step the rest of the network does not heal. With the body
 * fixed, a softmax output layer under cross-entropy is a convex problem in its weights and bias
 * (multinomial logistic regression), solved here on features computed once: Nesterov's
 * accelerated gradient from the current weights, with the step {@code 1/L} from the loss's
 * curvature bound {@code L = lambda_max(X'X / n) / 2} (the softmax Jacobian's eigenvalues are at
 * most 1/2; {@code X} with a column of ones for the bias), so it needs no learning rate. The labels
 * are the data set's training labels: soft ones when the caller distils ({@link Distillation}), so
 * the head is fitted to the targets healing then trains on.
 */
public final class HeadRefit {
    /** Rows per forward pass while collecting features: bounds the activations held at once. */
    private static final int CHUNK = 512;
    private static final int ITERATIONS = 500;

    private HeadRefit() {
    }

    /**
     * Refuses a model whose head this class cannot refit, before a caller spends any work on it.
     *
     * @throws IllegalArgumentException when the output layer is not softmax with unweighted
     *     cross-entropy (or negative log-likelihood), the one form whose refit is this convex problem
     */
    public static void check(Model model) {
        checkedView(model);
    }

    /** The model's view, once {@link #check} finds its head refittable. */
    private static NetworkView checkedView(Model model) {
        NetworkView view = NetworkView.of(model, "refit the head");
        String output = view.output();
        Layer conf = view.node(output).layer();
        if (!(conf instanceof BaseOutputLayer out) || !(out.getActivationFn() instanceof ActivationSoftmax)
                || !(out.getLossFn() instanceof LossMCXENT loss) || loss.getWeights() != null) {
            throw new IllegalArgumentException("refit the head: the output layer '" + output
                    + "' must be a softmax output layer with unweighted cross-entropy loss, got " + describe(conf));
        }
        return view;
    }

    /**
     * Refits the output layer of {@code model} in place on {@code rows} of the data set's training
     * rows (a seeded sample, never the holdout).
     *
     * @throws IllegalArgumentException when {@link #check} refuses the model, {@code rows} is not
     *     positive, or the features below the head are not finite
     */
    public static void refit(Model model, Dataset data, int rows, long seed) {
        NetworkView view = checkedView(model);
        if (rows < 1) {
            throw new IllegalArgumentException("refit the head: needs at least one training row, got " + rows);
        }
        Network net = Network.of(model);
        String output = view.output();
        // one native thread: the fit is a thousand small products, whose hand-offs to a shared pool took
        // 190 to 270 s instead of 12 to 14 s for a 32-wide head on the loaded 2-core machine
        try (ModelWork alone = ModelWork.begin("head refit");
             NativeThreads one = NativeThreads.limit(1, 1)) {
            Sample sample = Sample.fromTraining(data, rows, seed);
            INDArray x = features(net, view.node(output).input(), sample.features());
            if (!Double.isFinite(x.sumNumber().doubleValue())) {
                throw new IllegalArgumentException("refit the head: the features '" + view.node(output).input()
                        + "' gives the output layer are not finite");
            }
            INDArray y = sample.labels().castTo(DataType.DOUBLE);
            Map<String, INDArray> params = net.params(output);
            INDArray w = params.get("W").castTo(DataType.DOUBLE).dup();
            INDArray b = params.get("b").castTo(DataType.DOUBLE).reshape(1, w.size(1)).dup();
            fit(x, y, w, b);
            params.get("W").assign(w.castTo(params.get("W").dataType()));
            params.get("b").assign(b.reshape(params.get("b").shape()).castTo(params.get("b").dataType()));
        }
    }

    /** Minimises the mean softmax cross-entropy of {@code x w + b} against {@code y}, in place from the given start. */
    static void fit(INDArray x, INDArray y, INDArray w, INDArray b) {
        long n = x.size(0);
        INDArray withBias = Nd4j.hstack(x, Nd4j.ones(DataType.DOUBLE, n, 1));
        double step = 1.0 / (largestEigenvalue(withBias.transpose().mmul(withBias).divi(n)) / 2);
        INDArray wPrev = w.dup();
        INDArray bPrev = b.dup();
        for (int t = 1; t <= ITERATIONS; t++) {
            double momentum = (t - 1.0) / (t + 2.0);
            INDArray wLook = w.add(w.sub(wPrev).muli(momentum));
            INDArray bLook = b.add(b.sub(bPrev).muli(momentum));
            INDArray p = Transforms.softmax(x.mmul(wLook).addiRowVector(bLook), false);
            INDArray g = p.subi(y).divi(n);
            wPrev.assign(w);
            bPrev.assign(b);
            w.assign(wLook.subi(x.transpose().mmul(g).muli(step)));
            b.assign(bLook.subi(g.sum(true, 0).muli(step)));
        }
    }

    /**
     * The largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration, with
     * a 5% margin: overestimating it only shortens the step, underestimating could diverge.
     */
    static double largestEigenvalue(INDArray gram) {
        INDArray v = Nd4j.ones(DataType.DOUBLE, gram.size(0), 1);
        double lambda = 0;
        for (int i = 0; i < 100; i++) {
            INDArray next = gram.mmul(v);
            double norm = next.norm2Number().doubleValue();
            if (norm == 0) {
                return 1e-12;
            }
            lambda = norm / v.norm2Number().doubleValue();
            v = next.divi(norm);
        }
        return 1.05 * lambda;
    }

    /** The activations {@code node} produces for {@code rows}, as {@code [rows, features]} doubles. */
    private static INDArray features(Network net, String node, INDArray rows) {
        List<INDArray> parts = new ArrayList<>();
        long n = rows.size(0);
        for (long start = 0; start < n; start += CHUNK) {
            INDArray chunk = rows.get(NDArrayIndex.interval(start, Math.min(n, start + CHUNK)), NDArrayIndex.all());
            INDArray a = net.activations(chunk).get(node);
            parts.add(a.reshape('c', a.size(0), a.length() / a.size(0)).castTo(DataType.DOUBLE));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private static String describe(Layer conf) {
        if (conf instanceof BaseOutputLayer out) {
            return out.getClass().getSimpleName() + " with " + out.getActivationFn() + " and " + out.getLossFn();
        }
        return conf == null ? "a vertex" : conf.getClass().getSimpleName();
    }
}
