package dev.topiary.merger.combine;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Merges of fine-tuned models through their task vectors {@code τᵢ = θᵢ − base}, on flat parameter
 * vectors (the network's parameters in DL4J's order):
 * <ul>
 *   <li>task arithmetic (Ilharco et al. 2023): {@code base + λ·Στᵢ};
 *   <li>TIES (Yadav et al. 2023): keep each τᵢ's {@code density} share of largest magnitudes (trim),
 *       take each coordinate's sign as that of the sum of the kept values (elect), and average only
 *       the kept values that agree with it (disjoint mean): {@code base + λ·τ};
 *   <li>DARE (Yu et al. 2024): drop each coordinate of each τᵢ with probability {@code dropRate}
 *       and scale the survivors by {@code 1/(1 − dropRate)}, so each task vector's expectation is
 *       kept, then task arithmetic; seeded, so a redelivered input merges the same way.
 * </ul>
 */
public final class TaskVectors {
    private TaskVectors() {}

    public static double[] taskArithmetic(double[] base, List<double[]> models, double lambda) {
        double[] out = base.clone();
        for (double[] m : models) {
            check(base, m);
            for (int i = 0; i < out.length; i++) {
                out[i] += lambda * (m[i] - base[i]);
            }
        }
        return out;
    }

    public static double[] ties(double[] base, List<double[]> models, double density, double lambda) {
        double[][] trimmed = new double[models.size()][];
        for (int t = 0; t < models.size(); t++) {
            check(base, models.get(t));
            trimmed[t] = trim(delta(base, models.get(t)), density);
        }
        double[] out = base.clone();
        for (int i = 0; i < out.length; i++) {
            double sum = 0;
            for (double[] tau : trimmed) {
                sum += tau[i];
            }
            double sign = Math.signum(sum);
            double agreeing = 0;
            int count = 0;
            for (double[] tau : trimmed) {
                if (tau[i] != 0 && Math.signum(tau[i]) == sign) {
                    agreeing += tau[i];
                    count++;
                }
            }
            if (count > 0) {
                out[i] += lambda * agreeing / count;
            }
        }
        return out;
    }

    public static double[] dare(double[] base, List<double[]> models, double dropRate, double lambda, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double keep = 1 - dropRate;
        double[] out = base.clone();
        for (double[] m : models) {
            check(base, m);
            for (int i = 0; i < out.length; i++) {
                if (random.nextDouble() >= dropRate) {
                    out[i] += lambda * (m[i] - base[i]) / keep;
                }
            }
        }
        return out;
    }

    /** {@code tau} with all but its {@code density} share of largest magnitudes set to zero (ties keep the earlier). */
    static double[] trim(double[] tau, double density) {
        int keep = (int) Math.round(density * tau.length);
        if (keep >= tau.length) {
            return tau;
        }
        double[] out = new double[tau.length];
        if (keep == 0) {
            return out;
        }
        double[] magnitudes = Arrays.stream(tau).map(Math::abs).sorted().toArray();
        double threshold = magnitudes[tau.length - keep];
        int above = 0;
        for (double v : tau) {
            above += Math.abs(v) > threshold ? 1 : 0;
        }
        int atThreshold = keep - above;
        for (int i = 0; i < tau.length; i++) {
            double a = Math.abs(tau[i]);
            if (a > threshold || (a == threshold && atThreshold-- > 0)) {
                out[i] = tau[i];
            }
        }
        return out;
    }

    private static double[] delta(double[] base, double[] model) {
        double[] d = new double[base.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = model[i] - base[i];
        }
        return d;
    }

    private static void check(double[] base, double[] model) {
        if (model.length != base.length) {
            throw new IllegalArgumentException("a model has " + model.length + " parameters, the base " + base.length);
        }
    }
}
