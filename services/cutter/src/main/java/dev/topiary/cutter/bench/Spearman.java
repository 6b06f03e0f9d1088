package dev.topiary.cutter.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Spearman's rank correlation: Pearson's correlation of the ranks, ties sharing their mean rank. */
final class Spearman {
    private Spearman() {
    }

    static double rho(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("rank correlation needs two series of one length >= 2");
        }
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElseThrow();
        double mb = Arrays.stream(rb).average().orElseThrow();
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
    }

    static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i])).toArray(Integer[]::new);
        double[] r = new double[v.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }
}
