package dev.topiary.pruner;

import dev.topiary.nn.recovery.FineTuneParams;
import dev.topiary.pruner.schedule.Schedule;
import dev.topiary.pruner.selection.MinimumWidth;
import dev.topiary.runtime.stage.ParameterException;
import dev.topiary.runtime.stage.StageParams;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a prune stage was asked to do, read from its {@code with:} block and checked once, so a bad
 * value fails at the start with the key's name rather than half-way through a long run.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><td>method</td><td>{@code magnitude} (default: zero single weights) or {@code structured} (remove neurons/filters)</td></tr>
 *   <tr><td>scope</td><td>{@code global} (default: rank across layers) or {@code layer} (same fraction per layer)</td></tr>
 *   <tr><td>sparsity</td><td>fraction of weights (magnitude) or neurons/filters (structured) to remove</td></tr>
 *   <tr><td>layers</td><td>per-layer sparsity overrides, {@code {dense1: 0.5}}</td></tr>
 *   <tr><td>importance</td><td>structured only: {@code l1} (default), {@code l2}, {@code activation}, {@code apoz}, {@code taylor}</td></tr>
 *   <tr><td>keepMacs</td><td>structured only: fraction of the original MACs to keep, instead of sparsity</td></tr>
 *   <tr><td>maxAccuracyDrop</td><td>search the largest amount whose accuracy drop on the data set's holdout is within this fraction
 *       (0.01 = one point); {@code sparsity}/{@code keepMacs}, if given, bound the search</td></tr>
 *   <tr><td>schedule</td><td>{@code oneshot} (default), {@code agp} (fine-tuning between steps) or {@code gradual}
 *       (magnitude only: all steps inside one fine-tuning run), over {@code steps} (default 5 for agp, 30 for gradual)</td></tr>
 *   <tr><td>pruneUntil</td><td>gradual only: share of the run by whose end the full sparsity is reached (default 0.6)</td></tr>
 *   <tr><td>finetuneEpochs</td><td>fine-tuning epochs after each step (default 1); with gradual, the epochs of the one run
 *       (at least 1)</td></tr>
 *   <tr><td>finetuneLearningRate</td><td>learning rate while fine-tuning (default 1e-3)</td></tr>
 *   <tr><td>distill</td><td>share of the unpruned parent's probabilities in the fine-tuning labels, in [0, 1]
 *       (default 0: hard labels only); see {@link dev.topiary.nn.recovery.Distillation}</td></tr>
 *   <tr><td>finetuneWeightDecay</td><td>decoupled weight decay while fine-tuning (default 0.01, the trainer's)</td></tr>
 *   <tr><td>roundTo</td><td>structured: every pruned layer keeps a multiple of this many channels (default 1)</td></tr>
 *   <tr><td>minPerLayer</td><td>structured: fewest channels a layer keeps, a count (default 1) or a fraction in (0, 1)</td></tr>
 *   <tr><td>seed</td><td>for the data sample and fine-tuning (default 42)</td></tr>
 *   <tr><td>importanceSamples</td><td>training rows data-driven importance looks at (default 512)</td></tr>
 *   <tr><td>searchProbes</td><td>most pruned models {@code maxAccuracyDrop} trains and measures (default 5)</td></tr>
 * </table>
 */
public record PruneSpec(
        Method method,
        boolean global,
        Double sparsity,
        Map<String, Double> layers,
        String importance,
        Double keepMacs,
        Double maxAccuracyDrop,
        Schedule schedule,
        int finetuneEpochs,
        double finetuneLearningRate,
        double finetuneWeightDecay,
        double pruneUntil,
        double distill,
        MinimumWidth minPerLayer,
        int roundTo,
        long seed,
        int importanceSamples,
        int searchProbes) {

    public enum Method { MAGNITUDE, STRUCTURED }

    public static final Set<String> KEYS = Set.of("method", "scope", "sparsity", "layers", "importance", "keepMacs",
            "maxAccuracyDrop", "schedule", "steps", "pruneUntil", "finetuneEpochs", "finetuneLearningRate",
            "finetuneWeightDecay", "distill", "minPerLayer", "roundTo", "seed", "importanceSamples", "searchProbes");
    public static final Set<String> IMPORTANCES = Set.of("l1", "l2", "activation", "apoz", "taylor");

    public PruneSpec {
        layers = Map.copyOf(layers);
    }

    /** Reads the parameters of a stage named {@code prune}. */
    public static PruneSpec fromMap(Map<String, Object> params) {
        return from(new StageParams("prune", params));
    }

    public static PruneSpec from(StageParams p) {
        p.requireOnly(KEYS);
        Method method = p.getEnum("method", Method.MAGNITUDE);
        boolean global = p.getChoice("scope", "global", Set.of("global", "layer")).equals("global");
        Double sparsity = p.has("sparsity") ? fraction(p, "sparsity", p.getDouble("sparsity", 0), false) : null;
        Map<String, Double> layers = new LinkedHashMap<>();
        p.getMap("layers").forEach((name, v) -> {
            double d;
            try {
                d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
            } catch (NumberFormatException e) {
                throw bad(p, "layers." + name, "a fraction in [0, 1]", v);
            }
            layers.put(name, fraction(p, "layers." + name, d, false));
        });
        String importance = p.getChoice("importance", "l1", IMPORTANCES);
        Double keepMacs = p.has("keepMacs") ? fraction(p, "keepMacs", p.getDouble("keepMacs", 1), true) : null;
        Double maxDrop = p.has("maxAccuracyDrop") ? fraction(p, "maxAccuracyDrop", p.getDouble("maxAccuracyDrop", 0), false) : null;
        Schedule.Kind kind = p.getEnum("schedule", Schedule.Kind.ONESHOT);
        boolean gradual = kind == Schedule.Kind.GRADUAL;
        int steps = atLeast(p, "steps", p.getInt("steps", switch (kind) {
            case ONESHOT -> 1;
            case AGP -> 5;
            case GRADUAL -> 30;
        }), 1);
        if (kind == Schedule.Kind.ONESHOT && p.has("steps") && steps != 1) {
            throw bad(p, "steps", "1 with schedule oneshot (use schedule: agp or gradual for several steps)",
                    p.asMap().get("steps"));
        }
        double pruneUntil = p.getDouble("pruneUntil", 0.6);
        if (p.has("pruneUntil") && !gradual) {
            throw p.problem("pruneUntil", "applies to schedule gradual only");
        }
        if (!(pruneUntil > 0 && pruneUntil <= 1)) {
            throw bad(p, "pruneUntil", "a fraction in (0, 1]", p.asMap().get("pruneUntil"));
        }
        int epochs = atLeast(p, "finetuneEpochs", p.getInt("finetuneEpochs", 1), gradual ? 1 : 0);
        double lr = FineTuneParams.learningRate(p);
        double weightDecay = FineTuneParams.weightDecay(p);
        double distill = p.has("distill") ? fraction(p, "distill", p.getDouble("distill", 0), false) : 0;
        if (distill > 0 && epochs == 0) {
            throw p.problem("distill", "needs fine-tuning (finetuneEpochs >= 1)");
        }
        double min = p.getDouble("minPerLayer", 1);
        if (!(min > 0) || (min >= 1 && min != Math.rint(min))) {
            throw bad(p, "minPerLayer", "a whole number of channels (>= 1) or a fraction in (0, 1)", p.asMap().get("minPerLayer"));
        }
        int roundTo = atLeast(p, "roundTo", p.getInt("roundTo", 1), 1);
        long seed = p.getLong("seed", 42);
        int samples = atLeast(p, "importanceSamples", p.getInt("importanceSamples", 512), 1);
        int probes = atLeast(p, "searchProbes", p.getInt("searchProbes", 5), 1);

        if (method == Method.MAGNITUDE) {
            for (String structuredOnly : new String[] {"importance", "keepMacs", "minPerLayer", "roundTo"}) {
                if (p.has(structuredOnly)) {
                    throw p.problem(structuredOnly, "applies to method structured only");
                }
            }
        }
        if (gradual && method != Method.MAGNITUDE) {
            // structured pruning rebuilds a smaller network, which cannot be swapped in mid-run
            throw new ParameterException(p.stage(), "schedule", "stage '" + p.stage() + "': schedule gradual applies to method magnitude only");
        }
        if (sparsity != null && keepMacs != null && maxDrop == null) {
            throw new IllegalArgumentException("stage '" + p.stage() + "': give 'sparsity' or 'keepMacs', not both");
        }
        if (keepMacs != null && !layers.isEmpty()) {
            throw p.problem("layers", "applies to 'sparsity' targets, not 'keepMacs'");
        }
        if (sparsity == null && keepMacs == null && maxDrop == null) {
            throw new IllegalArgumentException("stage '" + p.stage()
                    + "': prune needs a target: 'sparsity', 'keepMacs' or 'maxAccuracyDrop'");
        }
        return new PruneSpec(method, global, sparsity, layers, importance, keepMacs, maxDrop,
                new Schedule(kind, steps), epochs, lr, weightDecay, pruneUntil, distill, MinimumWidth.of(min), roundTo, seed, samples, probes);
    }

    /** Fine-tuning epochs in all: one run for gradual, one run per step otherwise. */
    public int totalFinetuneEpochs() {
        return schedule.kind() == Schedule.Kind.GRADUAL ? finetuneEpochs : finetuneEpochs * schedule.steps();
    }

    private static double fraction(StageParams p, String key, double v, boolean positive) {
        if (!(v >= 0 && v <= 1) || (positive && v == 0)) {
            throw bad(p, key, positive ? "a fraction in (0, 1]" : "a fraction in [0, 1]", v);
        }
        return v;
    }

    private static int atLeast(StageParams p, String key, int v, int min) {
        if (v < min) {
            throw bad(p, key, "at least " + min, v);
        }
        return v;
    }

    private static ParameterException bad(StageParams p, String key, String expected, Object actual) {
        return p.bad(key, expected, actual);
    }
}
