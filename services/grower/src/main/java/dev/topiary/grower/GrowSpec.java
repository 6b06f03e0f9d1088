package dev.topiary.grower;

import dev.topiary.runtime.stage.StageParams;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a grow stage was asked to do, read from its {@code with:} block and checked once, so
 * {@code pipelines validate} reports a bad value at its line before anything runs. Layer names are
 * checked against the model when the stage runs (the file does not know the model).
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><td>method</td><td>{@code wider} (Net2WiderNet) or {@code deeper} (Net2DeeperNet); required</td></tr>
 *   <tr><td>layers</td><td>wider: new widths by layer name, {@code {dense1: 600}}</td></tr>
 *   <tr><td>factor</td><td>wider: every hidden layer's width times this (&gt; 1), instead of {@code layers}</td></tr>
 *   <tr><td>noise</td><td>wider: symmetry-breaking noise on the copies' incoming weights, as a share of each
 *       layer's weight standard deviation (default 0: exact)</td></tr>
 *   <tr><td>after</td><td>deeper: the layer after which the identity layer goes; required</td></tr>
 *   <tr><td>name</td><td>deeper: the new layer's name (default {@code <after>_deeper}, numbered if taken)</td></tr>
 *   <tr><td>kernel</td><td>deeper, image activations: the identity convolution's odd kernel size (default 3)</td></tr>
 *   <tr><td>exact</td><td>deeper: refuse an activation that is not idempotent (default true)</td></tr>
 *   <tr><td>maxParams, maxMacs</td><td>guards: a grow past them publishes its input unchanged, labelled {@code grow.limit}</td></tr>
 *   <tr><td>finetuneEpochs</td><td>training after growing, with the shared trainer (default 0)</td></tr>
 *   <tr><td>finetuneLearningRate, finetuneWeightDecay</td><td>its settings (default 1e-3 and 0.01)</td></tr>
 *   <tr><td>samples</td><td>training rows the output change is measured on (default 512)</td></tr>
 *   <tr><td>seed</td><td>which units are copied, the noise, the sample and training (default 42)</td></tr>
 * </table>
 */
public record GrowSpec(
        Method method,
        Map<String, Integer> layers,
        Double factor,
        double noise,
        String after,
        String name,
        int kernel,
        boolean exact,
        Long maxParams,
        Long maxMacs,
        int finetuneEpochs,
        double finetuneLearningRate,
        double finetuneWeightDecay,
        int samples,
        long seed) {

    public enum Method { WIDER, DEEPER }

    public static final Set<String> KEYS = Set.of("method", "layers", "factor", "noise", "after", "name", "kernel",
            "exact", "maxParams", "maxMacs", "finetuneEpochs", "finetuneLearningRate", "finetuneWeightDecay",
            "samples", "seed");
    private static final Set<String> WIDER_ONLY = Set.of("layers", "factor", "noise");
    private static final Set<String> DEEPER_ONLY = Set.of("after", "name", "kernel", "exact");

    public GrowSpec {
        layers = Map.copyOf(layers);
    }

    /** Reads the parameters of a stage named {@code grow}. */
    public static GrowSpec fromMap(Map<String, Object> params) {
        return from(new StageParams("grow", params));
    }

    public static GrowSpec from(StageParams p) {
        p.requireOnly(KEYS);
        if (!p.has("method")) {
            throw p.problem("method", "is required: wider or deeper");
        }
        Method method = Method.valueOf(p.getChoice("method", "wider", Set.of("wider", "deeper")).toUpperCase(Locale.ROOT));
        for (String key : method == Method.WIDER ? DEEPER_ONLY : WIDER_ONLY) {
            if (p.has(key)) {
                throw p.problem(key, "applies to method " + (method == Method.WIDER ? "deeper" : "wider") + " only");
            }
        }
        Map<String, Integer> layers = new LinkedHashMap<>();
        p.getMap("layers").forEach((layer, v) -> {
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1) {
                throw p.bad("layers." + layer, "a whole number of units", v);
            }
            layers.put(layer, n.intValue());
        });
        Double factor = null;
        if (p.has("factor")) {
            factor = p.getDouble("factor", 2);
            if (!(factor > 1 && factor <= 64)) {
                throw p.bad("factor", "a number above 1 (at most 64)", p.asMap().get("factor"));
            }
        }
        if (method == Method.WIDER && (factor == null) == layers.isEmpty()) {
            throw p.problem(factor == null ? "layers" : "factor", "wider needs either 'layers' (new widths) or 'factor', not "
                    + (factor == null ? "neither" : "both"));
        }
        double noise = p.getDouble("noise", 0);
        if (!(noise >= 0 && noise <= 1)) {
            throw p.bad("noise", "a share of the weights' standard deviation in [0, 1]", p.asMap().get("noise"));
        }
        String after = p.getString("after", null);
        if (method == Method.DEEPER && (after == null || after.isBlank())) {
            throw p.problem("after", "is required for method deeper: the layer after which the identity layer goes");
        }
        String name = p.getString("name", null);
        int kernel = p.getInt("kernel", 3);
        if (kernel < 1 || kernel % 2 == 0) {
            throw p.bad("kernel", "an odd kernel size (1, 3, 5, ...)", p.asMap().get("kernel"));
        }
        boolean exact = p.getBoolean("exact", true);
        Long maxParams = p.has("maxParams") ? positive(p, "maxParams") : null;
        Long maxMacs = p.has("maxMacs") ? positive(p, "maxMacs") : null;
        int epochs = p.getInt("finetuneEpochs", 0);
        if (epochs < 0) {
            throw p.bad("finetuneEpochs", "at least 0", epochs);
        }
        double lr = p.getDouble("finetuneLearningRate", 1e-3);
        if (!(lr > 0 && lr < 10)) {
            throw p.bad("finetuneLearningRate", "a positive number below 10", p.asMap().get("finetuneLearningRate"));
        }
        double weightDecay = p.getDouble("finetuneWeightDecay", 0.01);
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw p.bad("finetuneWeightDecay", "zero or a positive number below 1", p.asMap().get("finetuneWeightDecay"));
        }
        int samples = p.getInt("samples", 512);
        if (samples < 1) {
            throw p.bad("samples", "at least 1", samples);
        }
        return new GrowSpec(method, layers, factor, noise, after, name, kernel, exact, maxParams, maxMacs, epochs, lr,
                weightDecay, samples, p.getLong("seed", 42));
    }

    private static long positive(StageParams p, String key) {
        long v = p.getLong(key, 1);
        if (v < 1) {
            throw p.bad(key, "a positive whole number", p.asMap().get(key));
        }
        return v;
    }
}
