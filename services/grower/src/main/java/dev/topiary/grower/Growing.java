package dev.topiary.grower;

import dev.topiary.grower.blocks.BlockDuplication;
import dev.topiary.grower.blocks.BlockExpansion;
import dev.topiary.grower.deeper.Deepening;
import dev.topiary.grower.wider.NewUnitWeights;
import dev.topiary.grower.wider.Widening;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.data.Sample;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.recovery.FineTuner;
import dev.topiary.nn.recovery.TrainerFineTuner;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.TrainOnly;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.macs.MacCounter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The growing a service or benchmark asks for, in one call: {@link GrowSpec} in, bigger model and
 * its stats out. Grow (wider, deeper, blocks or duplicate), add symmetry-breaking noise if asked, measure how far the
 * outputs moved on a seeded sample of training rows (0 up to rounding for an exact grow), check the
 * guards, then train on with the shared trainer. The input model is never changed.
 *
 * <pre>{@code
 * GrowSpec spec = GrowSpec.fromMap(Map.of("method", "wider", "factor", 2, "noise", 0.01));
 * GrowResult r = Growing.apply(model, spec, data, TrainingListener.NONE);
 * }</pre>
 */
public final class Growing {
    private Growing() {
    }

    /** Grows a copy of {@code model} and trains it on with the shared trainer at the spec's settings. */
    public static GrowResult apply(Model model, GrowSpec spec, Dataset data, TrainingListener progress) {
        return apply(model, spec, data, TrainerFineTuner.of(data, spec.finetuneLearningRate(), spec.finetuneWeightDecay(),
                spec.seed(), progress));
    }

    /** As {@link #apply(Model, GrowSpec, Dataset, TrainingListener)}, training on with {@code fineTuner}. */
    public static GrowResult apply(Model model, GrowSpec spec, Dataset data, FineTuner fineTuner) {
        NetworkView.of(model, "grow"); // refuse unsupported models before any work
        InputShape shape = InputCompatibility.check(model, data);
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("paramsBefore", (double) model.numParams());
        Network grown = grow(Network.of(model), shape, spec, stats);

        String limit = limit(grown.model(), shape, spec);
        if (limit != null) {
            stats.put("paramsAfter", (double) model.numParams());
            stats.put("limitReached", 1.0);
            stats.put("finetuneEpochs", 0.0);
            return new GrowResult(model, stats, limit, List.of());
        }
        Sample sample = Sample.fromTraining(data, spec.samples(), spec.seed());
        stats.put("maxOutputChange", maxAbsDiff(ModelMetrics.output(model, sample.features()),
                ModelMetrics.output(grown.model(), sample.features())));
        stats.put("paramsAfter", (double) grown.model().numParams());
        stats.put("limitReached", 0.0);
        // before training on; chosen by nothing, so the holdout is only reported here
        stats.put("holdoutAccuracyGrown", ModelMetrics.holdoutScore(grown.model(), data).accuracy());
        List<String> added = added(model, grown.model());
        if (spec.finetuneEpochs() > 0) {
            StepHook hook = spec.trainOnlyNew()
                    ? TrainOnly.holdOthers(grown.model(), TrainOnly.labels(added, spec.othersRate())) : StepHook.NONE;
            fineTuner.fineTune(grown.model(), spec.finetuneEpochs(), hook);
        }
        stats.put("finetuneEpochs", (double) spec.finetuneEpochs());
        return new GrowResult(grown.model(), stats, null, added);
    }

    /** The grown network alone, without measuring or training (exactness tests and the benchmark). */
    public static Network grow(Network network, InputShape shape, GrowSpec spec, Map<String, Double> stats) {
        return switch (spec.method()) {
            case WIDER -> {
                Widening.Result r = spec.factor() != null ? Widening.byFactor(network.model(), spec.factor(), spec.init(), spec.seed())
                        : Widening.byName(network.model(), spec.layers(), spec.init(), spec.seed());
                NewUnitWeights.addNoise(r.network(), r.copies(), spec.noise(), spec.seed());
                stats.put("unitsAdded", (double) r.unitsAdded());
                stats.put("layersAdded", 0.0);
                yield r.network();
            }
            case DEEPER -> {
                Network deeper = Deepening.insert(network, shape, spec.after(), spec.name(), spec.kernel(), spec.exact());
                stats.put("unitsAdded", 0.0);
                stats.put("layersAdded", 1.0);
                yield deeper;
            }
            case BLOCKS -> {
                List<String> positions = spec.every() != null ? BlockExpansion.everyKth(network, spec.every())
                        : spec.blocksAfter();
                BlockExpansion.Result r = BlockExpansion.insert(network, shape, positions);
                stats.put("unitsAdded", 0.0);
                stats.put("layersAdded", (double) r.added().size());
                yield r.network();
            }
            case DUPLICATE -> {
                BlockExpansion.Result r = BlockDuplication.repeat(network, shape, spec.range()[0], spec.range()[1]);
                stats.put("unitsAdded", 0.0);
                stats.put("layersAdded", (double) r.added().size());
                yield r.network();
            }
        };
    }

    /** The nodes of {@code grown} that {@code before} does not have, in topological order. */
    public static List<String> added(Model before, Model grown) {
        NetworkView old = NetworkView.describing(before);
        return NetworkView.describing(grown).nodes().stream().map(n -> n.name()).filter(n -> !old.has(n)).toList();
    }

    /** Which guard the grown model breaks, as a label value, or null. */
    private static String limit(Model grown, InputShape shape, GrowSpec spec) {
        if (spec.maxParams() != null && grown.numParams() > spec.maxParams()) {
            return "maxParams: the grown network would have " + grown.numParams() + " parameters (at most "
                    + spec.maxParams() + ")";
        }
        if (spec.maxMacs() != null) {
            long macs = MacCounter.count(grown, shape.inputType());
            if (macs > spec.maxMacs()) {
                return "maxMacs: the grown network would need " + macs + " MACs per example (at most " + spec.maxMacs() + ")";
            }
        }
        return null;
    }

    /** The largest absolute difference between two outputs of the same shape. */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sub(b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                .amaxNumber().doubleValue();
    }
}
