package dev.topiary.cutter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which units go for a given number of cuts, by a {@link Criterion}: the {@code k} best-scored
 * units, or with {@code oneRun} the best run of {@code k} consecutive units scored as a whole. It
 * keeps every score it computed, so a version can show why each unit went or stayed. The answers
 * for several {@code k} come from one scoring where the criterion allows (similarities are scored
 * once; the greedy loss order is built once, cut by cut).
 */
final class Selection {
    /** The similarity score of each stretch (angular or cosine), in order. */
    @FunctionalInterface
    interface SimilarityProbe {
        double[] scores(List<Similarity.Stretch> stretches);
    }

    /** The holdout loss of the original with these units cut (no healing). */
    @FunctionalInterface
    interface LossProbe {
        double loss(List<CutUnit> cut);
    }

    private final Criterion criterion;
    private final boolean oneRun;
    private final List<CutUnit> units;
    private final SimilarityProbe similarity;
    private final LossProbe loss;
    private final Map<String, Double> scores = new LinkedHashMap<>();
    private final Map<Integer, Integer> runStarts = new HashMap<>();
    private final Map<Integer, Double> runScores = new HashMap<>();
    private List<CutUnit> order;
    private final List<Double> greedyLosses = new ArrayList<>();

    Selection(Criterion criterion, boolean oneRun, List<CutUnit> units, SimilarityProbe similarity, LossProbe loss) {
        this.criterion = criterion;
        this.oneRun = oneRun;
        this.units = List.copyOf(units);
        this.similarity = similarity;
        this.loss = loss;
    }

    /** The units to cut for {@code k} cuts, in topological order. */
    List<CutUnit> cuts(int k) {
        if (k < 1 || k > units.size()) {
            throw new IllegalArgumentException("cut: cannot cut " + k + " of " + units.size() + " units");
        }
        List<CutUnit> chosen = oneRun ? units.subList(runStart(k), runStart(k) + k) : singles(k);
        List<CutUnit> sorted = new ArrayList<>(chosen);
        sorted.sort(Comparator.comparingInt(units::indexOf));
        return sorted;
    }

    /**
     * The criterion's score of the cut of {@code k}: the run's score, or the mean of the cut units'
     * (for {@code loss}, the holdout loss after the cut); NaN for {@code last}, which scores nothing.
     */
    double chosenScore(int k) {
        if (criterion == Criterion.LAST) {
            return Double.NaN;
        }
        if (oneRun) {
            runStart(k);
            return runScores.get(k);
        }
        List<CutUnit> cut = singles(k);
        if (criterion == Criterion.LOSS) {
            return greedyLosses.get(k - 1);
        }
        return cut.stream().mapToDouble(u -> scores.get(u.name())).average().orElse(Double.NaN);
    }

    /** Every score computed so far: by unit name, or {@code first..last} for a run. */
    Map<String, Double> scores() {
        return Map.copyOf(scores);
    }

    private List<CutUnit> singles(int k) {
        if (order == null) {
            order = new ArrayList<>();
        }
        switch (criterion) {
            case LAST -> {
                return units.subList(units.size() - k, units.size());
            }
            case LOSS -> {
                while (order.size() < k) {
                    greedyStep();
                }
                return order.subList(0, k);
            }
            default -> {
                if (order.isEmpty()) {
                    double[] s = similarity.scores(units.stream().map(u -> new Similarity.Stretch(u.from(), u.to())).toList());
                    for (int i = 0; i < s.length; i++) {
                        scores.put(units.get(i).name(), s[i]);
                    }
                    order.addAll(IntStream.range(0, units.size()).boxed().sorted(Comparator.comparingDouble(i -> s[i]))
                            .map(units::get).toList());
                }
                return order.subList(0, k);
            }
        }
    }

    /** One step of the greedy (SLEB-like) order: the remaining unit whose removal costs least holdout loss. */
    private void greedyStep() {
        CutUnit best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (CutUnit u : units) {
            if (order.contains(u)) {
                continue;
            }
            List<CutUnit> trial = new ArrayList<>(order);
            trial.add(u);
            double l = loss.loss(trial);
            if (order.isEmpty()) {
                scores.put(u.name(), l); // alone: the per-unit score a report shows
            }
            if (l < bestLoss) {
                bestLoss = l;
                best = u;
            }
        }
        order.add(best);
        greedyLosses.add(bestLoss);
    }

    /** The first index of the best run of {@code k} consecutive units. */
    private int runStart(int k) {
        Integer known = runStarts.get(k);
        if (known != null) {
            return known;
        }
        int runs = units.size() - k + 1;
        double[] s = new double[runs];
        switch (criterion) {
            case LAST -> {
                s[runs - 1] = -1;
            }
            case LOSS -> {
                for (int i = 0; i < runs; i++) {
                    s[i] = loss.loss(units.subList(i, i + k));
                }
            }
            default -> s = similarity.scores(IntStream.range(0, runs)
                    .mapToObj(i -> new Similarity.Stretch(units.get(i).from(), units.get(i + k - 1).to())).toList());
        }
        int best = 0;
        for (int i = 0; i < runs; i++) {
            if (criterion != Criterion.LAST) {
                scores.put(runName(i, k), s[i]);
            }
            if (s[i] < s[best]) {
                best = i;
            }
        }
        runStarts.put(k, best);
        runScores.put(k, criterion == Criterion.LAST ? Double.NaN : s[best]);
        return best;
    }

    private String runName(int start, int k) {
        return k == 1 ? units.get(start).name() : units.get(start).name() + ".." + units.get(start + k - 1).name();
    }
}
