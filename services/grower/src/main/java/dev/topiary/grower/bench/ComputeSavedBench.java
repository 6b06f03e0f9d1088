package dev.topiary.grower.bench;

import dev.topiary.grower.GrowSpec;
import dev.topiary.grower.Growing;
import dev.topiary.grower.wider.Widening;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.train.AccuracyTarget;
import dev.topiary.nn.train.Augmentation;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.nn.train.TrainingResult;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.macs.MacCounter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * The compute-saved part of {@code topiary bench grow}: a target network ({@link GrowthFamily}: the
 * issue's 784-1024-1024-10, or resmlp 8 x 256) from scratch for E epochs (test accuracy A, holdout
 * accuracy A<sub>h</sub>, training FLOPs F = 6 x MACs x samples) against a growth path and a
 * control, and the growth path given all of F.
 *
 * <p>A growth path ({@link GrowthPlan}) trains the network half the target's size (half the width,
 * or half the blocks) for k epochs, grows it (Net2WiderNet x2 with noise as the symmetry breaker,
 * or with fresh units,
 * or a zero-started block after every block) and trains the grown network on for at most m
 * epochs, stopping at the first holdout check that reaches A<sub>h</sub> (the "train until
 * it reaches A on the holdout"; checked {@code targetChecks} times an epoch); k and m are fixed
 * before the run (the defaults: k = E/2, m the most epochs that keep the path within F/2). With the
 * schedule continued, one cosine spans the k + m planned epochs: the grown network goes on at the
 * rate the small one reached ({@link TrainingConfig#withSchedulePart}); restarted, each part has
 * its own cosine from the peak. Adam's moments start afresh after growing either way (the trainer
 * rebuilds the optimiser every fit, and grown layers have new shapes). The control trains the
 * half-size network from scratch for the growth path's FLOPs in one cosine, with the same holdout
 * stop.
 *
 * <p>A progressive path ({@code quarterEpochs} q > 0) starts a step earlier: the network a quarter
 * of the target's size trains q epochs and grows to half size by the same grow before the k epochs
 * (one cosine over q + k + m epochs when the schedule continues); a second control then trains the
 * quarter-size network for the path's FLOPs, since that is where the path's cheap passes come from.
 */
final class ComputeSavedBench {
    private static final long SEED = 2;

    private final GrowthFamily family;
    private final Dataset data;
    private final int epochs;
    private final PrintStream log;
    private final long netSeed;
    private final long fitSeed;
    private final Augmentation augmentation;
    private final long bigMacs;
    private final long smallMacs;
    private final long quarterMacs;

    /**
     * @param repetition which repetition of the whole comparison (0 the first): shifts every
     *     network's initialisation seed and every fit's shuffle seed by it, as {@link #scratchSpread} does
     * @param augmentation how every fit here changes its training images, scratch, paths and controls alike
     */
    ComputeSavedBench(GrowthFamily family, Dataset data, int epochs, int repetition, Augmentation augmentation, PrintStream log) {
        this.family = family;
        this.data = data;
        this.epochs = epochs;
        this.augmentation = augmentation;
        this.log = log;
        this.netSeed = SEED + repetition;
        this.fitSeed = TrainingConfig.defaults().seed() + repetition;
        this.bigMacs = macs(family.target(netSeed));
        this.smallMacs = macs(family.half(netSeed));
        this.quarterMacs = macs(family.quarter(netSeed));
    }

    /** The trainer's defaults for {@code epochs}, with this repetition's shuffle seed and this bench's augmentation. */
    private TrainingConfig fit(int epochs) {
        return fit(epochs, fitSeed);
    }

    private TrainingConfig fit(int epochs, long seed) {
        return TrainingConfig.defaults().withEpochs(epochs).withSeed(seed).withAugmentation(augmentation);
    }

    /** A row's method, saying how this bench's fits changed their images when they did. */
    private String withAugmentation(String method) {
        return GrowBenchRow.augmented(method, augmentation);
    }

    /**
     * The growth path's settings, fixed before a run: {@code quarterEpochs} of the quarter-size
     * network first (0: the path starts at half size), {@code smallEpochs} (k) of the half-size one,
     * at most {@code grownEpochs} (m) of the target.
     */
    record GrowthPlan(int quarterEpochs, int smallEpochs, int grownEpochs, Widening.Init init, double noise, boolean continueSchedule,
                      int targetChecks) {
        String describe(GrowthFamily family) {
            return String.format(Locale.ROOT, "%sk=%d m<=%d, %s, schedule %s, %d holdout check(s)/epoch",
                    quarterEpochs > 0 ? "q=" + quarterEpochs + " " : "", smallEpochs, grownEpochs, family.describeGrow(init, noise),
                    continueSchedule ? "continued" : "restarted", targetChecks);
        }

        int plannedEpochs() {
            return quarterEpochs + smallEpochs + grownEpochs;
        }

        /** {@code config} as the part of the path after {@code epochsBefore} epochs: under the one cosine when it continues. */
        TrainingConfig part(TrainingConfig config, int epochsBefore) {
            return continueSchedule ? config.withSchedulePart(epochsBefore, plannedEpochs()) : config;
        }

        AccuracyTarget stopAt(double holdoutAccuracy) {
            return new AccuracyTarget(holdoutAccuracy, targetChecks);
        }
    }

    /** k = E/2; m the most epochs of the target that keep q quarter-size and k half-size epochs plus m within half of F. */
    GrowthPlan defaultPlan(int q, Integer k, Integer m, Widening.Init init, double noise, boolean continueSchedule, int targetChecks) {
        int small = k != null ? k : Math.max(1, Math.round(epochs / 2f));
        int grown = m != null ? m : mostGrownEpochs(q, small, 0.5);
        return new GrowthPlan(q, small, grown, init, noise, continueSchedule, targetChecks);
    }

    /** The most epochs of the target after {@code quarterEpochs} and {@code smallEpochs} of the smaller ones within {@code share} of F. */
    int mostGrownEpochs(int quarterEpochs, int smallEpochs, double share) {
        double before = (quarterEpochs * (double) quarterMacs + smallEpochs * (double) smallMacs) / bigMacs;
        return Math.max(1, (int) Math.floor(share * epochs - before + 1e-9));
    }

    /**
     * Scratch; for each plan the growth path (stopping at scratch's holdout accuracy) and its
     * control (two for a path that starts at quarter size); and the first plan's path given all of F.
     */
    List<GrowBenchRow> run(List<GrowthPlan> plans) {
        Model target = family.target(netSeed);
        log.println("scratch: " + family.targetName + " for " + epochs + " epochs");
        Run scratch = train(target, fit(epochs), bigMacs);
        double a = ModelMetrics.score(target, data).accuracy();
        double aHoldout = ModelMetrics.holdoutScore(target, data).accuracy();
        log.printf(Locale.ROOT, "scratch: test %.4f, holdout %.4f (the growth path's target)%n", a, aHoldout);

        List<GrowBenchRow> rows = new ArrayList<>();
        rows.add(new GrowBenchRow("scratch", withAugmentation("none"), family.targetName, values(a, a, aHoldout, scratch, scratch, null)));
        for (GrowthPlan plan : plans) {
            Path grown = growthPath(plan, aHoldout);
            rows.add(grown.row("grown", withAugmentation(plan.describe(family) + ", holdout stop"), a, scratch));
            rows.add(control("control", family.half(netSeed), family.halfName, family.halfDescription, smallMacs, grown.run, plan,
                    a, aHoldout, scratch));
            if (plan.quarterEpochs() > 0) { // where this path started: the smallest network for the same budget
                rows.add(control("control quarter", family.quarter(netSeed), family.quarterName, family.quarterDescription, quarterMacs,
                        grown.run, plan, a, aHoldout, scratch));
            }
        }
        GrowthPlan first = plans.get(0);
        GrowthPlan full = new GrowthPlan(first.quarterEpochs(), first.smallEpochs(),
                mostGrownEpochs(first.quarterEpochs(), first.smallEpochs(), 1.0), first.init(), first.noise(),
                first.continueSchedule(), first.targetChecks());
        log.println("equal budget: the growth path given F");
        rows.add(growthPath(full, 0).row("grown at F", withAugmentation(full.describe(family)), a, scratch));
        return rows;
    }

    /** A network trained from scratch, without growing, for the FLOPs {@code path} used, with the same holdout stop. */
    private GrowBenchRow control(String name, Model control, String model, String description, long macs, Run path, GrowthPlan plan,
                                 double a, double aHoldout, Run scratch) {
        int controlEpochs = Math.max(1, (int) Math.round(path.flops / (6.0 * macs * data.fitSize())));
        log.println(name + ": " + model + " from scratch for up to " + controlEpochs + " epochs (the growth path's FLOPs)");
        Run run = train(control, fit(controlEpochs).withTarget(plan.stopAt(aHoldout)), macs);
        return new GrowBenchRow(name, withAugmentation(description + ", " + controlEpochs + " epochs, holdout stop"), model,
                values(ModelMetrics.score(control, data).accuracy(), a, ModelMetrics.holdoutScore(control, data).accuracy(), run, scratch, null));
    }

    /**
     * Scratch trained again under {@code seeds} seeds (the network's initialisation and the
     * shuffle; the first is the seed of {@link #run}'s scratch): how far A itself moves between
     * runs, the scale against which the target's 0.2 pt is read.
     */
    List<GrowBenchRow> scratchSpread(int seeds) {
        List<GrowBenchRow> rows = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            log.println("scratch spread: " + family.targetName + " for " + epochs + " epochs, seed " + i);
            Model target = family.target(SEED + i);
            Run run = train(target, fit(epochs, TrainingConfig.defaults().seed() + i), bigMacs);
            Map<String, Double> v = values(ModelMetrics.score(target, data).accuracy(), Double.NaN,
                    ModelMetrics.holdoutScore(target, data).accuracy(), run, null, null);
            v.put("seed", (double) i);
            rows.add(new GrowBenchRow("scratch seed " + i, withAugmentation("none"), family.targetName, v));
        }
        return rows;
    }

    /** The growth path alone, stopping at {@code targetHoldout} (0: none): for choosing its settings on the holdout. */
    List<GrowBenchRow> pathOnly(GrowthPlan plan, double targetHoldout) {
        return List.of(growthPath(plan, targetHoldout).row("grown", withAugmentation(plan.describe(family)), Double.NaN, null));
    }

    private Path growthPath(GrowthPlan plan, double targetHoldout) {
        int q = plan.quarterEpochs();
        int k = plan.smallEpochs();
        int m = plan.grownEpochs();
        log.println("growth path: " + (q > 0 ? family.quarterName + " for " + q + " epochs, grown, then " : "") + family.halfName
                + " for " + k + " epochs, " + family.describeGrow(plan.init(), plan.noise()) + ", then up to " + m
                + " epochs, schedule " + (plan.continueSchedule() ? "continued over " + plan.plannedEpochs() + " epochs" : "restarted"));
        Run before = new Run(0, 0, 0);
        Model small;
        if (q > 0) {
            Model quarter = family.quarter(netSeed);
            Run quarterRun = train(quarter, plan.part(fit(q), 0), quarterMacs);
            Grown half = grow(quarter, plan);
            before = quarterRun.plus(half.cost);
            small = half.model;
        } else {
            small = family.half(netSeed);
        }
        Run smallRun = before.plus(train(small, plan.part(fit(k), q), smallMacs));
        double parentAccuracy = ModelMetrics.score(small, data).accuracy();
        Grown grown = grow(small, plan);
        Run grownRun = train(grown.model, plan.part(fit(m).withTarget(plan.stopAt(targetHoldout)), q + k), bigMacs);
        log.printf(Locale.ROOT, "growth path: parent test %.4f; grown trained %.2f of %d epochs%n", parentAccuracy,
                grownRun.epochs, m);
        Run whole = smallRun.plus(grown.cost).plus(grownRun);
        return new Path(family, ModelMetrics.score(grown.model, data).accuracy(), ModelMetrics.holdoutScore(grown.model, data).accuracy(),
                whole, parentAccuracy, q, k, grownRun.epochs);
    }

    /** One doubling of the path (the family's grow), with what it cost. */
    private Grown grow(Model model, GrowthPlan plan) {
        long t0 = System.nanoTime();
        Network grown = Growing.grow(Network.of(model), InputCompatibility.check(model, data),
                GrowSpec.fromMap(family.grow(plan.init(), plan.noise())), new HashMap<>());
        return new Grown(grown.model(), new Run(0, (System.nanoTime() - t0) / 1e9, 0));
    }

    /** @param cost the grow's seconds; FLOPs and epochs count training only, so they are 0 */
    private record Grown(Model model, Run cost) {
    }

    private record Path(GrowthFamily family, double accuracy, double holdoutAccuracy, Run run, double parentAccuracy, int quarterEpochs,
                        int smallEpochs, double grownEpochs) {
        GrowBenchRow row(String name, String method, double scratchAccuracy, Run scratch) {
            Map<String, Double> v = values(accuracy, scratchAccuracy, holdoutAccuracy, run, scratch, parentAccuracy);
            if (quarterEpochs > 0) {
                v.put("quarterEpochs", (double) quarterEpochs);
            }
            v.put("smallEpochs", (double) smallEpochs);
            v.put("grownEpochs", grownEpochs);
            String from = quarterEpochs > 0 ? family.quarterName + " -> " + family.halfName : family.halfName;
            return new GrowBenchRow(name, method, from + " -> " + family.targetName, v);
        }
    }

    private static Map<String, Double> values(double accuracy, double scratchAccuracy, double holdoutAccuracy, Run run,
                                              Run scratch, Double parentAccuracy) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("accuracy", accuracy);
        if (!Double.isNaN(scratchAccuracy)) {
            v.put("scratchAccuracy", scratchAccuracy);
        }
        v.put("holdoutAccuracy", holdoutAccuracy);
        v.put("flops", run.flops);
        v.put("seconds", run.seconds);
        if (scratch != null) {
            v.put("scratchFlops", scratch.flops);
            v.put("scratchSeconds", scratch.seconds);
        }
        if (parentAccuracy != null) {
            v.put("parentAccuracy", parentAccuracy);
        }
        return v;
    }

    /**
     * FLOPs (6 x MACs x samples seen, forward and backward), seconds and epochs of one fit; epochs
     * as passes over the training rows, so a fit that a holdout check stopped within an epoch counts
     * the part it ran.
     */
    record Run(double flops, double seconds, double epochs) {
        Run plus(Run other) {
            return new Run(flops + other.flops, seconds + other.seconds, epochs + other.epochs);
        }
    }

    Run train(Model model, TrainingConfig config, long macs) {
        long t0 = System.nanoTime();
        TrainingResult result = new Trainer(config).fit(model, data, TrainingListener.NONE, StepHook.NONE);
        return new Run(6.0 * macs * result.samplesSeen(), (System.nanoTime() - t0) / 1e9,
                result.samplesSeen() / (double) data.fitSize());
    }

    private long macs(Model model) {
        return MacCounter.count(model, InputCompatibility.check(model, data).inputType());
    }
}
