package dev.topiary.nn.recovery;

import org.deeplearning4j.nn.api.Model;

/**
 * Finds the largest amount of a change (pruning's sparsity or MACs removed, layers cut, ...) that
 * costs at most a given accuracy drop, by bisection on the amount: each probe makes the whole
 * change, recovery training included, from the original model, and measures it. Measure probes on a
 * validation split when choosing among them matters (see the caller). Accuracy is assumed to fall as the amount grows, which holds closely enough for
 * a search with few probes; the answer is always a probe that was actually measured within budget.
 */
public final class AccuracyBudgetSearch {

    /** A pruned model, the amount it was pruned by, and its measured accuracy. */
    public record Candidate(double amount, Model model, double accuracy) {
    }

    /** @return the result and how many probes it took */
    public record Result(Candidate best, int probes) {
    }

    /** Prunes the original model by an amount and measures it. */
    @FunctionalInterface
    public interface Probe {
        Candidate run(double amount);
    }

    private final double baselineAccuracy;
    private final double maxDrop;
    private final int probes;

    /**
     * @param maxDrop the accuracy drop allowed, as a fraction (0.01 = one percentage point)
     * @param probes how many pruned models to train and measure at most
     */
    public AccuracyBudgetSearch(double baselineAccuracy, double maxDrop, int probes) {
        this.baselineAccuracy = baselineAccuracy;
        this.maxDrop = maxDrop;
        this.probes = probes;
    }

    /**
     * Searches amounts in {@code (0, upper]}, trying {@code upper} first; null {@code best} when even
     * the smallest probed amount costs too much.
     */
    public Result search(double upper, Probe probe) {
        double lo = 0;
        double hi = upper;
        double amount = upper;
        Candidate best = null;
        int used = 0;
        while (used < probes) {
            Candidate c = probe.run(amount);
            used++;
            boolean ok = baselineAccuracy - c.accuracy() <= maxDrop + 1e-12;
            if (ok) {
                best = c;
                lo = amount;
                if (amount >= upper) {
                    break;
                }
            } else {
                hi = amount;
            }
            amount = (lo + hi) / 2;
        }
        return new Result(best, used);
    }
}
