package dev.topiary.pruner.importance;

import dev.topiary.nn.data.Sample;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What a channel actually emits on data, observed on every tensor that carries the group's
 * channels (a layer's output, the BatchNormalization and pooling after it, a residual sum).
 * <ul>
 *   <li>{@link Statistic#MEAN_ABS}: mean |activation| over examples and positions; a channel that
 *       is always zero scores zero.
 *   <li>{@link Statistic#APOZ}: Hu et al.'s average percentage of zeros of a ReLU output; the
 *       score is {@code 1 - APoZ} so that, as for every criterion, higher means keep. A tensor with
 *       no ReLU (no exact zeros) adds the same constant to every channel and changes no ranking.
 * </ul>
 *
 * <pre>{@code
 * Importance apoz = new ActivationImportance(Statistic.APOZ, 128, Reduction.SUM, Normalizer.MEAN);
 * double[][] scores = apoz.score(graph, new Sample(features, null));
 * }</pre>
 */
public final class ActivationImportance extends GroupImportance {
    public enum Statistic { MEAN_ABS, APOZ }

    private final Statistic statistic;
    private final int batchSize;

    public ActivationImportance(Statistic statistic, int batchSize, Reduction reduction, Normalizer normalizer) {
        super(reduction, normalizer);
        this.statistic = statistic;
        this.batchSize = batchSize;
    }

    @Override
    public boolean needsData() {
        return true;
    }

    @Override
    protected List<List<double[]>> memberScores(DependencyGraph graph, Sample sample) {
        if (sample == null || sample.size() == 0) {
            throw new IllegalArgumentException("importance " + statistic.name().toLowerCase() + " needs data");
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int from = 0; from < sample.size(); from += batchSize) {
            Sample batch = sample.rows(from, Math.min(sample.size(), from + batchSize));
            Map<String, INDArray> acts = graph.view().network().activations(batch.features());
            for (ChannelGroup g : graph.prunableGroups()) {
                for (String carrier : g.carriers()) {
                    if (graph.view().node(carrier).isInput()) {
                        continue;
                    }
                    INDArray a = acts.get(carrier);
                    INDArray x = statistic == Statistic.MEAN_ABS
                            ? Transforms.abs(a, true).castTo(DataType.DOUBLE)
                            : a.eq(0.0).castTo(DataType.DOUBLE);
                    int[] others = a.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
                    double[] s = x.sum(others).toDoubleVector();
                    long positions = a.length() / a.size(1);
                    sums.merge(carrier, s, ActivationImportance::add);
                    counts.merge(carrier, positions, Long::sum);
                }
            }
        }
        List<List<double[]>> out = emptyLists(graph);
        for (ChannelGroup g : graph.prunableGroups()) {
            List<double[]> members = new ArrayList<>();
            for (String carrier : g.carriers()) {
                double[] s = sums.get(carrier);
                if (s == null) {
                    continue;
                }
                double n = counts.get(carrier);
                double[] m = new double[s.length];
                for (int i = 0; i < s.length; i++) {
                    m[i] = statistic == Statistic.MEAN_ABS ? s[i] / n : 1.0 - s[i] / n;
                }
                members.add(m);
            }
            out.set(g.id(), members);
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += b[i];
        }
        return c;
    }
}
