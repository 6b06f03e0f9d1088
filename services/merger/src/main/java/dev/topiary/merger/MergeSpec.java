package dev.topiary.merger;

import dev.topiary.merger.neurons.Fractions;
import dev.topiary.runtime.stage.StageParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a merge stage was asked to do, read from its {@code with:} block and checked once, so a bad
 * value fails when the pipeline file is read, at its line.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><td>method</td><td>required: {@code fold-batchnorm}, {@code fuse-linear}, {@code neurons}, {@code layers} (one model);
 *       {@code average}, {@code greedy-soup}, {@code task-arithmetic}, {@code ties}, {@code dare},
 *       {@code slerp}, {@code align} (a gathered set)</td></tr>
 *   <tr><td>weights</td><td>average only: one non-negative weight per member, in the members' order (by id)</td></tr>
 *   <tr><td>lambda</td><td>task methods: the scale of the merged task vector; a number, or a list of
 *       candidates chosen on the holdout (default {@code [0.25, 0.5, 0.75, 1.0]})</td></tr>
 *   <tr><td>density</td><td>ties only: share of each task vector kept by magnitude, in (0, 1] (default 0.2)</td></tr>
 *   <tr><td>dropRate</td><td>dare only: share of each task vector dropped, in [0, 1) (default 0.5)</td></tr>
 *   <tr><td>t</td><td>slerp only: where between the two members, in [0, 1] (default 0.5)</td></tr>
 *   <tr><td>repair</td><td>align only: correct each hidden Dense and Convolution layer's statistics after averaging (REPAIR;
 *       default false)</td></tr>
 *   <tr><td>repairSamples</td><td>align with repair: training rows the statistics are measured on (default 1000)</td></tr>
 *   <tr><td>fraction</td><td>neurons: the most units of each hidden Dense layer merged away, in (0, 1) (default 0.3 unless
 *       {@code similarity} is given); or a mapping from layer names to such fractions, the layers not named untouched</td></tr>
 *   <tr><td>compensation</td><td>neurons: how the units kept carry the removed ones, {@code least-squares} (default) or
 *       {@code pairs} (Srinivas and Babu's rule)</td></tr>
 *   <tr><td>inputs</td><td>neurons with least squares: what the layers' outputs are measured on, {@code gaussian}
 *       (default: standard normal draws, data-free) or {@code data} (training rows)</td></tr>
 *   <tr><td>samples</td><td>neurons with least squares: how many inputs (default 4096)</td></tr>
 *   <tr><td>similarity</td><td>neurons with pairs: merge only pairs whose incoming weights have at least this cosine
 *       similarity, in [0, 1]</td></tr>
 *   <tr><td>blocks</td><td>layers: units (residual blocks, or layers of a chain of equal-width Dense layers) collapsed
 *       into the one before them (default 1)</td></tr>
 *   <tr><td>healEpochs</td><td>layers: fine-tuning epochs after the collapse (default 1; 0 for none)</td></tr>
 *   <tr><td>healLearningRate</td><td>layers: learning rate while healing (default 1e-3)</td></tr>
 *   <tr><td>distill</td><td>layers: share of the uncollapsed parent's probabilities in the healing labels, in [0, 1] (default 0)</td></tr>
 *   <tr><td>seed</td><td>dare's drops, align's order over the layers, neurons' Gaussian inputs, layers' healing (default 42)</td></tr>
 * </table>
 */
public record MergeSpec(MergeMethod method, List<Double> weights, List<Double> lambdas, double density, double dropRate,
                        double t, boolean repair, int repairSamples, Fractions fraction, UnitCompensation compensation,
                        UnitInputs inputs, int samples, double similarity, int blocks, int healEpochs,
                        double healLearningRate, double distill, long seed) {

    public static final Set<String> KEYS = Set.of("method", "weights", "lambda", "density", "dropRate", "t", "repair",
            "repairSamples", "fraction", "compensation", "inputs", "samples", "similarity", "blocks", "healEpochs",
            "healLearningRate", "distill", "seed");
    static final List<Double> DEFAULT_LAMBDAS = List.of(0.25, 0.5, 0.75, 1.0);
    /** Most inputs least-squares neuron merging draws: 65,536 rows of 784 floats are 200 MB, enough to tell thousands of units apart. */
    static final int MAX_SAMPLES = 65_536;

    /** neurons: how the units kept carry the removed ones. */
    public enum UnitCompensation { LEAST_SQUARES, PAIRS }

    /** neurons with least squares: what the layers' outputs are measured on. */
    public enum UnitInputs { GAUSSIAN, DATA }

    public MergeSpec {
        weights = List.copyOf(weights);
        lambdas = List.copyOf(lambdas);
    }

    /** Reads the parameters of a stage named {@code merge}. */
    public static MergeSpec fromMap(Map<String, Object> params) {
        return from(new StageParams("merge", params));
    }

    public static MergeSpec from(StageParams p) {
        p.requireOnly(KEYS);
        if (!p.has("method")) {
            throw p.problem("method", "is required (one of " + new java.util.TreeSet<>(MergeMethod.keys()) + ")");
        }
        MergeMethod method = MergeMethod.of(p.getChoice("method", null, MergeMethod.keys()));
        List<Double> weights = new ArrayList<>();
        if (p.has("weights")) {
            if (method != MergeMethod.AVERAGE) {
                throw p.problem("weights", "applies to method average only");
            }
            for (Object w : p.getList("weights")) {
                double d = number(p, "weights", w, "a list of non-negative numbers");
                if (!(d >= 0)) {
                    throw p.bad("weights", "a list of non-negative numbers", p.asMap().get("weights"));
                }
                weights.add(d);
            }
            if (weights.isEmpty() || weights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
                throw p.bad("weights", "a list of non-negative numbers with a positive sum", p.asMap().get("weights"));
            }
        }
        List<Double> lambdas = new ArrayList<>();
        if (p.has("lambda")) {
            if (!method.usesTaskVectors()) {
                throw p.problem("lambda", "applies to methods task-arithmetic, ties and dare only");
            }
            Object v = p.asMap().get("lambda");
            for (Object l : v instanceof List<?> list ? list : List.of(v)) {
                double d = number(p, "lambda", l, "a positive number or a list of them");
                if (!(d > 0 && d <= 10)) {
                    throw p.bad("lambda", "a positive number up to 10 or a list of them", v);
                }
                lambdas.add(d);
            }
            if (lambdas.isEmpty()) {
                throw p.bad("lambda", "a positive number or a non-empty list of them", v);
            }
        } else if (method.usesTaskVectors()) {
            lambdas.addAll(DEFAULT_LAMBDAS);
        }
        double density = p.getDouble("density", 0.2);
        if (p.has("density") && method != MergeMethod.TIES) {
            throw p.problem("density", "applies to method ties only");
        }
        if (!(density > 0 && density <= 1)) {
            throw p.bad("density", "a fraction in (0, 1]", p.asMap().get("density"));
        }
        double dropRate = p.getDouble("dropRate", 0.5);
        if (p.has("dropRate") && method != MergeMethod.DARE) {
            throw p.problem("dropRate", "applies to method dare only");
        }
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw p.bad("dropRate", "a fraction in [0, 1)", p.asMap().get("dropRate"));
        }
        double t = p.getDouble("t", 0.5);
        if (p.has("t") && method != MergeMethod.SLERP) {
            throw p.problem("t", "applies to method slerp only");
        }
        if (!(t >= 0 && t <= 1)) {
            throw p.bad("t", "a fraction in [0, 1]", p.asMap().get("t"));
        }
        boolean repair = p.getBoolean("repair", false);
        if (p.has("repair") && method != MergeMethod.ALIGN) {
            throw p.problem("repair", "applies to method align only");
        }
        int repairSamples = p.getInt("repairSamples", 1000);
        if (p.has("repairSamples") && !repair) {
            throw p.problem("repairSamples", "applies with repair: true only");
        }
        if (repairSamples < 2) {
            throw p.bad("repairSamples", "at least 2", p.asMap().get("repairSamples"));
        }
        for (String neuronsOnly : new String[] {"fraction", "compensation", "inputs", "samples", "similarity"}) {
            if (p.has(neuronsOnly) && method != MergeMethod.NEURONS) {
                throw p.problem(neuronsOnly, "applies to method neurons only");
            }
        }
        UnitCompensation compensation = p.getEnum("compensation", UnitCompensation.LEAST_SQUARES);
        for (String leastSquaresOnly : new String[] {"inputs", "samples"}) {
            if (p.has(leastSquaresOnly) && compensation != UnitCompensation.LEAST_SQUARES) {
                throw p.problem(leastSquaresOnly, "applies with compensation: least-squares only");
            }
        }
        UnitInputs inputs = p.getEnum("inputs", UnitInputs.GAUSSIAN);
        int samples = p.getInt("samples", 4096);
        if (samples < 2 || samples > MAX_SAMPLES) {
            throw p.bad("samples", "from 2 to " + MAX_SAMPLES, p.asMap().get("samples"));
        }
        if (p.has("similarity") && compensation != UnitCompensation.PAIRS) {
            throw p.problem("similarity", "applies with compensation: pairs only (least squares merges by its cost, "
                    + "not by a pair's similarity)");
        }
        double similarity = p.getDouble("similarity", 0);
        if (!(similarity >= 0 && similarity <= 1)) {
            throw p.bad("similarity", "a cosine similarity in [0, 1]", p.asMap().get("similarity"));
        }
        Fractions fraction = fractions(p, p.has("similarity") ? 0.99 : 0.3);
        for (String layersOnly : new String[] {"blocks", "healEpochs", "healLearningRate", "distill"}) {
            if (p.has(layersOnly) && method != MergeMethod.LAYERS) {
                throw p.problem(layersOnly, "applies to method layers only");
            }
        }
        int blocks = p.getInt("blocks", 1);
        if (blocks < 1) {
            throw p.bad("blocks", "at least 1", p.asMap().get("blocks"));
        }
        int healEpochs = p.getInt("healEpochs", 1);
        if (healEpochs < 0) {
            throw p.bad("healEpochs", "0 or more", p.asMap().get("healEpochs"));
        }
        double healLearningRate = p.getDouble("healLearningRate", 1e-3);
        if (!(healLearningRate > 0 && healLearningRate < 10)) {
            throw p.bad("healLearningRate", "a positive number below 10", p.asMap().get("healLearningRate"));
        }
        double distill = p.getDouble("distill", 0);
        if (!(distill >= 0 && distill <= 1)) {
            throw p.bad("distill", "a fraction in [0, 1]", p.asMap().get("distill"));
        }
        if (distill > 0 && healEpochs == 0) {
            throw p.problem("distill", "needs healing (healEpochs >= 1)");
        }
        long seed = p.getLong("seed", 42);
        return new MergeSpec(method, weights, lambdas, density, dropRate, t, repair, repairSamples, fraction, compensation,
                inputs, samples, similarity, blocks, healEpochs, healLearningRate, distill, seed);
    }

    /** {@code fraction}: one number, or a mapping from layer names to numbers, each in (0, 1). */
    private static Fractions fractions(StageParams p, double fallback) {
        String expected = "a fraction in (0, 1), or a mapping from layer names to such fractions";
        if (p.asMap().get("fraction") instanceof Map<?, ?> byLayer) {
            Map<String, Double> shares = new java.util.LinkedHashMap<>();
            for (Map.Entry<?, ?> e : byLayer.entrySet()) {
                double share = number(p, "fraction", e.getValue(), expected);
                if (!(share > 0 && share < 1)) {
                    throw p.bad("fraction", expected, byLayer);
                }
                shares.put(String.valueOf(e.getKey()), share);
            }
            if (shares.isEmpty()) {
                throw p.bad("fraction", expected, byLayer);
            }
            return Fractions.byLayer(shares);
        }
        double share = p.getDouble("fraction", fallback);
        if (!(share > 0 && share < 1)) {
            throw p.bad("fraction", expected, p.asMap().get("fraction"));
        }
        return Fractions.every(share);
    }

    private static double number(StageParams p, String key, Object v, String expected) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw p.bad(key, expected, p.asMap().get(key));
        }
    }
}
