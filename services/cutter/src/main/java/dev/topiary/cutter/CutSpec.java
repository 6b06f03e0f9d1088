package dev.topiary.cutter;

import dev.topiary.nn.recovery.FineTuneParams;
import dev.topiary.runtime.stage.ParameterException;
import dev.topiary.runtime.stage.StageParams;
import java.util.Map;
import java.util.Set;

/**
 * What a cut stage was asked to do, read from its {@code with:} block and checked once, so a bad
 * value fails at {@code pipelines validate} with the key's name (and so the file's line).
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><td>criterion</td><td>{@code loss} (default, see {@link #DEFAULT_CRITERION}), {@code angular}, {@code cosine} or {@code last}: see {@link Criterion}</td></tr>
 *   <tr><td>blocks</td><td>how many units (residual blocks, else same-shape layers) to cut</td></tr>
 *   <tr><td>fraction</td><td>the share of the units to cut, in (0, 1], instead of {@code blocks}</td></tr>
 *   <tr><td>keepMacs</td><td>cut the fewest units (in the criterion's order) that leave at most this share of the
 *       MACs, in (0, 1]</td></tr>
 *   <tr><td>span</td><td>cut one run of this many consecutive units, scored as a whole (input of the first
 *       against output of the last)</td></tr>
 *   <tr><td>maxAccuracyDrop</td><td>cut the most units whose healed holdout accuracy is within this fraction of the
 *       uncut model's (0.01 = one point); {@code blocks}/{@code fraction}/{@code span} bound the search</td></tr>
 *   <tr><td>bridge</td><td>{@code none} (default) or {@code linear}: replace the cut run by one Dense layer (1x1
 *       convolution for feature maps) fitted by ridge least squares from the run's input to its output</td></tr>
 *   <tr><td>bridgeRidge</td><td>ridge strength, relative to the mean input energy (default 1e-3)</td></tr>
 *   <tr><td>bridgeRank</td><td>a bridge of this rank: two linear layers through {@code bridgeRank} units (default: full)</td></tr>
 *   <tr><td>bridgeSamples</td><td>training rows the bridge is fitted on (default {@link #DEFAULT_BRIDGE_SAMPLES})</td></tr>
 *   <tr><td>finetuneEpochs</td><td>healing epochs after the cut (default 1; 0 publishes the cut model as is)</td></tr>
 *   <tr><td>finetuneLearningRate</td><td>learning rate while healing (default 1e-3)</td></tr>
 *   <tr><td>finetuneWeightDecay</td><td>decoupled weight decay while healing (default 0.01)</td></tr>
 *   <tr><td>distill</td><td>share of the uncut parent's probabilities in the healing labels, in [0, 1] (default 0)</td></tr>
 *   <tr><td>refitHead</td><td>refit the output layer to the cut network's features before healing ({@link
 *       dev.topiary.nn.recovery.HeadRefit}; default false)</td></tr>
 *   <tr><td>scoreSamples</td><td>holdout rows the similarity criteria score on (default 512)</td></tr>
 *   <tr><td>searchProbes</td><td>most cut models {@code maxAccuracyDrop} heals and measures (default 4)</td></tr>
 *   <tr><td>seed</td><td>for healing (default 42)</td></tr>
 *   <tr><td>dryRun</td><td>score and choose, publish no version: the report goes to the progress topic (default false)</td></tr>
 * </table>
 */
public record CutSpec(
        Criterion criterion,
        Integer blocks,
        Double fraction,
        Double keepMacs,
        Integer span,
        Double maxAccuracyDrop,
        boolean bridge,
        double bridgeRidge,
        Integer bridgeRank,
        int bridgeSamples,
        int finetuneEpochs,
        double finetuneLearningRate,
        double finetuneWeightDecay,
        double distill,
        boolean refitHead,
        int scoreSamples,
        int searchProbes,
        long seed,
        boolean dryRun) {

    /**
     * {@code loss}: on resmlp (8 blocks, Fashion-MNIST) its order had Spearman's rho 0.81 with each
     * block's measured leave-one-out accuracy drop, where angular and cosine had -0.07 and last 0.12
     * ({@code topiary bench cut}); the similarity scores barely told the blocks apart.
     */
    public static final Criterion DEFAULT_CRITERION = Criterion.LOSS;

    /**
     * Training rows a bridge is fitted on: a 256-wide run has 257 unknowns per output, which 512
     * rows fit barely better than they memorise (see the bridge rows of {@code topiary bench cut}).
     */
    public static final int DEFAULT_BRIDGE_SAMPLES = 4096;

    public static final Set<String> KEYS = Set.of("criterion", "blocks", "fraction", "keepMacs", "span", "maxAccuracyDrop", "bridge",
            "bridgeRidge", "bridgeRank", "bridgeSamples", "finetuneEpochs", "finetuneLearningRate", "finetuneWeightDecay", "distill",
            "refitHead", "scoreSamples", "searchProbes", "seed", "dryRun");

    /** Reads the parameters of a stage named {@code cut}. */
    public static CutSpec fromMap(Map<String, Object> params) {
        return from(new StageParams("cut", params));
    }

    public static CutSpec from(StageParams p) {
        p.requireOnly(KEYS);
        Criterion criterion = p.getEnum("criterion", DEFAULT_CRITERION);
        Integer blocks = p.has("blocks") ? atLeast(p, "blocks", p.getInt("blocks", 1), 1) : null;
        Double fraction = p.has("fraction") ? fraction(p, "fraction", 0, true) : null;
        Double keepMacs = p.has("keepMacs") ? fraction(p, "keepMacs", 1, true) : null;
        Integer span = p.has("span") ? atLeast(p, "span", p.getInt("span", 1), 1) : null;
        Double maxDrop = p.has("maxAccuracyDrop") ? fraction(p, "maxAccuracyDrop", 0, false) : null;
        boolean bridge = p.getChoice("bridge", "none", Set.of("none", "linear")).equals("linear");
        double ridge = p.getDouble("bridgeRidge", 1e-3);
        if (!(ridge >= 0 && ridge < 1e6)) {
            throw p.bad("bridgeRidge", "zero or a positive number", p.asMap().get("bridgeRidge"));
        }
        Integer rank = p.has("bridgeRank") ? atLeast(p, "bridgeRank", p.getInt("bridgeRank", 1), 1) : null;
        int bridgeSamples = atLeast(p, "bridgeSamples", p.getInt("bridgeSamples", DEFAULT_BRIDGE_SAMPLES), 2);
        if (!bridge) {
            for (String bridgeOnly : new String[] {"bridgeRidge", "bridgeRank", "bridgeSamples"}) {
                if (p.has(bridgeOnly)) {
                    throw p.problem(bridgeOnly, "applies to bridge: linear only");
                }
            }
        }
        int epochs = atLeast(p, "finetuneEpochs", p.getInt("finetuneEpochs", 1), 0);
        double lr = FineTuneParams.learningRate(p);
        double weightDecay = FineTuneParams.weightDecay(p);
        double distill = fraction(p, "distill", 0, false);
        boolean refitHead = p.getBoolean("refitHead", false);
        if (distill > 0 && epochs == 0 && !refitHead) {
            throw p.problem("distill", "needs healing (finetuneEpochs >= 1, or refitHead)");
        }
        int samples = atLeast(p, "scoreSamples", p.getInt("scoreSamples", 512), 2);
        int probes = atLeast(p, "searchProbes", p.getInt("searchProbes", 4), 1);
        long seed = p.getLong("seed", 42);
        boolean dryRun = p.getBoolean("dryRun", false);

        if (blocks != null && fraction != null) {
            throw p.problem("fraction", "give 'blocks' or 'fraction', not both");
        }
        if (span != null && (blocks != null || fraction != null)) {
            throw p.problem("span", "is the number of blocks of the one run it cuts; give 'span' or 'blocks'/'fraction'");
        }
        if (keepMacs != null && (blocks != null || fraction != null || span != null || maxDrop != null)) {
            throw p.problem("keepMacs", "is an amount of its own; give it without 'blocks', 'fraction', 'span' or 'maxAccuracyDrop'");
        }
        if (blocks == null && fraction == null && span == null && maxDrop == null && keepMacs == null) {
            throw new ParameterException(p.stage(), "blocks", "stage '" + p.stage()
                    + "': cut needs an amount: 'blocks', 'fraction', 'span', 'keepMacs' or 'maxAccuracyDrop'");
        }
        return new CutSpec(criterion, blocks, fraction, keepMacs, span, maxDrop, bridge, ridge, rank, bridgeSamples, epochs, lr, weightDecay,
                distill, refitHead, samples, probes, seed, dryRun);
    }

    /**
     * This spec without healing: what a dry run scores and cuts. Under {@code maxAccuracyDrop} the
     * count is decided by healed probes, so healing stays.
     */
    public CutSpec forDryRun() {
        if (maxAccuracyDrop != null) {
            return this;
        }
        return new CutSpec(criterion, blocks, fraction, keepMacs, span, null, bridge, bridgeRidge, bridgeRank, bridgeSamples,
                0, finetuneLearningRate, finetuneWeightDecay, 0, false, scoreSamples, searchProbes, seed, true);
    }

    /** True when the cut model is changed after the cut: its head refitted, or fine-tuned, or both. */
    public boolean heals() {
        return finetuneEpochs > 0 || refitHead;
    }

    /** True when the cut units must form one run: a span, or a bridge (which replaces one run). */
    public boolean oneRun() {
        return span != null || bridge;
    }

    /**
     * The most units to cut in a model with {@code units} of them (the search's bound under
     * maxAccuracyDrop; all of them under keepMacs, which stops at the first count within its budget).
     */
    public int upTo(int units) {
        if (span != null) {
            return span;
        }
        if (blocks != null) {
            return blocks;
        }
        if (fraction != null) {
            return Math.max(1, (int) Math.round(fraction * units));
        }
        return units;
    }

    /** The value of {@code key} (or {@code fallback}), refused outside [0, 1], or (0, 1] when {@code positive}. */
    private static double fraction(StageParams p, String key, double fallback, boolean positive) {
        double v = p.getDouble(key, fallback);
        if (!(v >= 0 && v <= 1) || (positive && v == 0)) {
            throw p.bad(key, positive ? "a fraction in (0, 1]" : "a fraction in [0, 1]", p.asMap().get(key));
        }
        return v;
    }

    private static int atLeast(StageParams p, String key, int v, int min) {
        if (v < min) {
            throw p.bad(key, "at least " + min, v);
        }
        return v;
    }
}
