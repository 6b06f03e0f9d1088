package dev.topiary.grower;

import dev.topiary.grower.wider.Widening;
import dev.topiary.nn.recovery.FineTuneParams;
import dev.topiary.runtime.stage.StageParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 *   <tr><td>method</td><td>{@code wider} (Net2WiderNet), {@code deeper} (Net2DeeperNet) or {@code blocks}
 *       (zero-started residual blocks) or {@code duplicate} (repeat a range of blocks); required</td></tr>
 *   <tr><td>layers</td><td>wider: new widths by layer name, {@code {dense1: 600}}</td></tr>
 *   <tr><td>factor</td><td>wider: every hidden layer's width times this (&gt; 1), instead of {@code layers}</td></tr>
 *   <tr><td>init</td><td>wider: how the new units start, {@code copy} (Net2WiderNet, the default) or
 *       {@code fresh} (incoming weights drawn anew, outgoing weights 0); both exact</td></tr>
 *   <tr><td>noise</td><td>wider, {@code init: copy}: symmetry-breaking noise on the copies' incoming weights, as a
 *       share of each layer's weight standard deviation (default 0: exact)</td></tr>
 *   <tr><td>after</td><td>deeper: the layer after which the identity layer goes (required); blocks: a layer or a
 *       list of layers after which new blocks go</td></tr>
 *   <tr><td>range</td><td>duplicate: the residual blocks to repeat, {@code [from, to]} counted from 1, or one number</td></tr>
 *   <tr><td>every</td><td>blocks: a new block after every k-th existing block, instead of {@code after}</td></tr>
 *   <tr><td>name</td><td>deeper: the new layer's name (default {@code <after>_deeper}, numbered if taken)</td></tr>
 *   <tr><td>kernel</td><td>deeper, image activations: the identity convolution's odd kernel size (default 3)</td></tr>
 *   <tr><td>exact</td><td>deeper: refuse an activation that is not idempotent (default true)</td></tr>
 *   <tr><td>trainOnly</td><td>deeper, blocks: {@code new} labels the version so the next train stage trains only
 *       the new layers (once)</td></tr>
 *   <tr><td>othersRate</td><td>with {@code trainOnly: new}: the other layers train too, at this share of the rate
 *       (default 0: frozen)</td></tr>
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
        Widening.Init init,
        double noise,
        String after,
        List<String> blocksAfter,
        Integer every,
        int[] range,
        String name,
        int kernel,
        boolean exact,
        boolean trainOnlyNew,
        double othersRate,
        Long maxParams,
        Long maxMacs,
        int finetuneEpochs,
        double finetuneLearningRate,
        double finetuneWeightDecay,
        int samples,
        long seed) {

    public enum Method { WIDER, DEEPER, BLOCKS, DUPLICATE }

    public static final Set<String> KEYS = Set.of("method", "layers", "factor", "init", "noise", "after", "every", "range", "name", "kernel",
            "exact", "trainOnly", "othersRate", "maxParams", "maxMacs", "finetuneEpochs", "finetuneLearningRate", "finetuneWeightDecay",
            "samples", "seed");
    private static final Map<Method, Set<String>> OWN_KEYS = Map.of(
            Method.WIDER, Set.of("layers", "factor", "init", "noise"),
            Method.DEEPER, Set.of("after", "name", "kernel", "exact", "trainOnly", "othersRate"),
            Method.BLOCKS, Set.of("after", "every", "trainOnly", "othersRate"),
            Method.DUPLICATE, Set.of("range"));

    public GrowSpec {
        layers = Map.copyOf(layers);
        blocksAfter = List.copyOf(blocksAfter);
    }

    /** Reads the parameters of a stage named {@code grow}. */
    public static GrowSpec fromMap(Map<String, Object> params) {
        return from(new StageParams("grow", params));
    }

    public static GrowSpec from(StageParams p) {
        p.requireOnly(KEYS);
        if (!p.has("method")) {
            throw p.problem("method", "is required: wider, deeper, blocks or duplicate");
        }
        Method method = p.getEnum("method", Method.WIDER);
        for (Map.Entry<Method, Set<String>> own : OWN_KEYS.entrySet()) {
            for (String key : own.getValue()) {
                if (p.has(key) && !OWN_KEYS.get(method).contains(key)) {
                    throw p.problem(key, "applies to method " + methodsWith(key) + " only");
                }
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
        Widening.Init init = p.getEnum("init", Widening.Init.COPY);
        if (init == Widening.Init.FRESH && noise > 0) {
            throw p.problem("noise", "applies to 'init: copy' only (fresh units have weights of their own: no symmetry to break)");
        }
        String after = null;
        List<String> blocksAfter = new ArrayList<>();
        Integer every = null;
        if (method == Method.DEEPER) {
            after = p.getString("after", null);
            if (after == null || after.isBlank()) {
                throw p.problem("after", "is required for method deeper: the layer after which the identity layer goes");
            }
        } else if (method == Method.BLOCKS) {
            Object a = p.asMap().get("after");
            if (a instanceof List<?> list) {
                list.forEach(x -> blocksAfter.add(String.valueOf(x)));
            } else if (a != null) {
                blocksAfter.add(String.valueOf(a));
            }
            if (p.has("every")) {
                every = p.getInt("every", 1);
                if (every < 1) {
                    throw p.bad("every", "a whole number of blocks, at least 1", p.asMap().get("every"));
                }
            }
            if ((every == null) == blocksAfter.isEmpty()) {
                throw p.problem(every == null ? "after" : "every", "blocks needs either 'after' (layers) or 'every' "
                        + "(every k-th block), not " + (every == null ? "neither" : "both"));
            }
        }
        int[] range = method == Method.DUPLICATE ? range(p) : null;
        String name = p.getString("name", null);
        int kernel = p.getInt("kernel", 3);
        if (kernel < 1 || kernel % 2 == 0) {
            throw p.bad("kernel", "an odd kernel size (1, 3, 5, ...)", p.asMap().get("kernel"));
        }
        boolean exact = p.getBoolean("exact", true);
        boolean trainOnlyNew = p.has("trainOnly") && p.getChoice("trainOnly", "new", Set.of("new")).equals("new");
        double othersRate = p.getDouble("othersRate", 0);
        if (!(othersRate >= 0 && othersRate < 1)) {
            throw p.bad("othersRate", "a share of the learning rate in [0, 1)", p.asMap().get("othersRate"));
        }
        if (p.has("othersRate") && !trainOnlyNew) {
            throw p.problem("othersRate", "applies with 'trainOnly: new' only (it is the rate of the layers that are not new)");
        }
        Long maxParams = p.has("maxParams") ? positive(p, "maxParams") : null;
        Long maxMacs = p.has("maxMacs") ? positive(p, "maxMacs") : null;
        int epochs = p.getInt("finetuneEpochs", 0);
        if (epochs < 0) {
            throw p.bad("finetuneEpochs", "at least 0", epochs);
        }
        double lr = FineTuneParams.learningRate(p);
        double weightDecay = FineTuneParams.weightDecay(p);
        int samples = p.getInt("samples", 512);
        if (samples < 1) {
            throw p.bad("samples", "at least 1", samples);
        }
        return new GrowSpec(method, layers, factor, init, noise, after, blocksAfter, every, range, name, kernel, exact, trainOnlyNew, othersRate, maxParams, maxMacs, epochs, lr,
                weightDecay, samples, p.getLong("seed", 42));
    }

    /** {@code range: [from, to]} (blocks counted from 1, inclusive) or {@code range: k} for one block. */
    private static int[] range(StageParams p) {
        Object v = p.asMap().get("range");
        if (v == null) {
            throw p.problem("range", "is required for method duplicate: the blocks to repeat, [from, to] counted from 1");
        }
        List<Object> ends = v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
        if (ends.size() == 1) {
            ends = List.of(ends.get(0), ends.get(0));
        }
        if (ends.size() != 2 || !(ends.get(0) instanceof Number a) || !(ends.get(1) instanceof Number b)
                || a.doubleValue() != Math.rint(a.doubleValue()) || b.doubleValue() != Math.rint(b.doubleValue())
                || a.intValue() < 1 || b.intValue() < a.intValue()) {
            throw p.bad("range", "[from, to] with 1 <= from <= to (blocks counted from 1), or one block number", v);
        }
        return new int[] {((Number) ends.get(0)).intValue(), ((Number) ends.get(1)).intValue()};
    }

    private static String methodsWith(String key) {
        return OWN_KEYS.entrySet().stream().filter(e -> e.getValue().contains(key)).map(e -> e.getKey().name()
                .toLowerCase(Locale.ROOT)).sorted().reduce((a, b) -> a + " and " + b).orElse("");
    }

    private static long positive(StageParams p, String key) {
        long v = p.getLong(key, 1);
        if (v < 1) {
            throw p.bad(key, "a positive whole number", p.asMap().get(key));
        }
        return v;
    }
}
