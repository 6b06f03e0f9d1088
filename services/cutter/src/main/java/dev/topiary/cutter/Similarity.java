package dev.topiary.cutter;

import dev.topiary.nn.data.Sample;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How much a stretch of the network changes what passes through it, on some rows: the cosine of
 * each row's activation before and after (flattened, so a feature map counts as one vector, as a
 * token's hidden state does in the LLM papers), averaged over the rows. Rows go through in chunks,
 * so only one chunk's activations are held at once.
 */
final class Similarity {
    /** Rows per forward pass: bounds the activations held at once (a CNN's are large). */
    private static final int CHUNK = 128;
    private static final double EPS = 1e-12;

    /** A stretch: the output of {@code from} against the output of {@code to}. */
    record Stretch(String from, String to) {
    }

    private Similarity() {
    }

    /**
     * The score of {@code criterion} (angular or cosine) for each stretch, in order.
     *
     * @param rows examples shaped for the network
     */
    static double[] scores(Network net, INDArray rows, List<Stretch> stretches, Criterion criterion) {
        if (!criterion.similarity()) {
            throw new IllegalArgumentException("criterion " + criterion.label() + " does not compare activations");
        }
        double[] sums = new double[stretches.size()];
        long n = rows.size(0);
        for (long start = 0; start < n; start += CHUNK) {
            long end = Math.min(n, start + CHUNK);
            Map<String, INDArray> acts = net.activations(chunk(rows, start, end));
            for (int i = 0; i < stretches.size(); i++) {
                Stretch s = stretches.get(i);
                INDArray cos = rowCosines(acts.get(s.from()), acts.get(s.to()));
                sums[i] += criterion == Criterion.ANGULAR
                        ? Transforms.acos(cos, false).sumNumber().doubleValue() / Math.PI
                        : cos.rsub(1.0).sumNumber().doubleValue();
            }
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] /= n;
        }
        return sums;
    }

    /** The cosine of each row of {@code a} with the same row of {@code b}, clipped to [-1, 1]. */
    static INDArray rowCosines(INDArray a, INDArray b) {
        long rows = a.size(0);
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("cannot compare activations of " + a.length() / rows + " and "
                    + b.length() / rows + " values per example");
        }
        INDArray x = a.castTo(DataType.DOUBLE).reshape(rows, -1);
        INDArray y = b.castTo(DataType.DOUBLE).reshape(rows, -1);
        INDArray dot = x.mul(y).sum(1);
        INDArray norms = x.norm2(1).muli(y.norm2(1)).addi(EPS);
        INDArray cos = dot.divi(norms);
        return Transforms.min(Transforms.max(cos, -1.0, false), 1.0, false);
    }

    private static INDArray chunk(INDArray rows, long start, long end) {
        return start == 0 && end == rows.size(0) ? rows : new Sample(rows, null).rows((int) start, (int) end).features();
    }
}
