package dev.topiary.merger;

import dev.topiary.merger.align.Repair;
import dev.topiary.merger.align.WeightMatching;
import dev.topiary.merger.combine.GreedySoup;
import dev.topiary.merger.combine.SameArchitecture;
import dev.topiary.merger.combine.Slerp;
import dev.topiary.merger.combine.Soup;
import dev.topiary.merger.combine.TaskVectors;
import dev.topiary.merger.fuse.BatchNormFolding;
import dev.topiary.merger.fuse.LinearFusion;
import dev.topiary.merger.layers.LayerCollapse;
import dev.topiary.merger.neurons.Compensation;
import dev.topiary.merger.neurons.NeuronMerging;
import dev.topiary.nn.recovery.Distillation;
import dev.topiary.nn.recovery.TrainerFineTuner;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.surgery.graph.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs one {@link MergeSpec} on the networks of an input: a fusion on its one model, or a
 * combination of a gathered set's members (which must share an architecture; the first layer that
 * differs is named). Every choice (greedy soup's ingredients, the task-vector scale) is made on the
 * data set's holdout. A model with nothing to fold or fuse is refused, not passed on unchanged.
 */
public final class Merging {
    private Merging() {}

    /**
     * @param nets the members' networks, in the members' order (sorted by id)
     * @param versions the members, in the same order
     * @param data where choices are made (its holdout); may be null for the methods that choose nothing
     *     (fusions, average, align)
     */
    public static MergeResult apply(List<Network> nets, List<Member> versions, Dataset data, MergeSpec spec) {
        List<String> ids = versions.stream().map(Member::id).toList();
        if (!spec.method().severalModels()) {
            if (nets.size() != 1) {
                throw new IllegalArgumentException("merge method " + spec.method().key() + " changes one model; the input has "
                        + nets.size() + ": " + String.join(", ", ids));
            }
            if (spec.method() == MergeMethod.NEURONS) {
                return neurons(nets.get(0), data, spec);
            }
            if (spec.method() == MergeMethod.LAYERS) {
                return collapse(nets.get(0), data, spec);
            }
            return fusion(nets.get(0), spec.method());
        }
        SameArchitecture.check(nets, ids);
        Map<String, Double> stats = new TreeMap<>();
        Network merged = switch (spec.method()) {
            case AVERAGE -> {
                if (!spec.weights().isEmpty() && spec.weights().size() != nets.size()) {
                    throw new IllegalArgumentException("merge: " + spec.weights().size() + " weights for " + nets.size()
                            + " members (" + String.join(", ", ids) + ")");
                }
                stats.put(MergeResult.INGREDIENTS, (double) nets.size());
                yield spec.weights().isEmpty() ? Soup.uniform(nets)
                        : Soup.weighted(nets, spec.weights().stream().mapToDouble(Double::doubleValue).toArray());
            }
            case GREEDY_SOUP -> {
                GreedySoup.Result r = GreedySoup.of(nets, data);
                stats.put(MergeResult.INGREDIENTS, (double) r.kept().size());
                yield r.soup();
            }
            case ALIGN -> {
                if (nets.size() < 2) {
                    throw new IllegalArgumentException("merge method align needs at least two models; the input has " + ids);
                }
                List<Network> aligned = new ArrayList<>(List.of(nets.get(0)));
                int rounds = 0;
                for (Network other : nets.subList(1, nets.size())) {
                    WeightMatching.Result r = WeightMatching.align(nets.get(0), other, spec.seed());
                    aligned.add(r.aligned());
                    rounds = Math.max(rounds, r.rounds());
                }
                stats.put(MergeResult.INGREDIENTS, (double) nets.size());
                stats.put(MergeResult.ALIGN_ROUNDS, (double) rounds);
                Network soup = Soup.uniform(aligned);
                if (spec.repair()) {
                    if (data == null) {
                        throw new IllegalArgumentException("merge: repair needs a data set");
                    }
                    int rows = Math.min(spec.repairSamples(), data.fitSize());
                    INDArray sample = data.trainFeatures().get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
                    stats.put(MergeResult.REPAIRED_LAYERS, (double) Repair.repair(soup, aligned, sample));
                }
                yield soup;
            }
            case SLERP -> {
                if (nets.size() != 2) {
                    throw new IllegalArgumentException("merge method slerp takes two models; the input has " + nets.size()
                            + ": " + String.join(", ", ids));
                }
                stats.put(MergeResult.INGREDIENTS, 2.0);
                yield Soup.withParams(nets.get(0), Slerp.of(nets.get(0).params().toDoubleVector(),
                        nets.get(1).params().toDoubleVector(), spec.t()));
            }
            case TASK_ARITHMETIC, TIES, DARE -> taskMerge(nets, versions, data, spec, stats);
            default -> throw new IllegalStateException("not a set method: " + spec.method());
        };
        if (data != null) {
            stats.put(MergeResult.HOLDOUT_ACCURACY, ModelMetrics.holdoutScore(merged.model(), data).accuracy());
        }
        return new MergeResult(merged, stats);
    }

    /**
     * Neuron merging; least squares measures the layers on Gaussian draws (data-free) unless the
     * spec asks for training rows.
     */
    private static MergeResult neurons(Network net, Dataset data, MergeSpec spec) {
        Compensation compensation;
        if (spec.compensation() == MergeSpec.UnitCompensation.PAIRS) {
            compensation = new Compensation.Pairs(spec.similarity());
        } else if (spec.inputs() == MergeSpec.UnitInputs.DATA) {
            if (data == null) {
                throw new IllegalArgumentException("merge: neurons with inputs: data needs a data set");
            }
            int rows = Math.min(spec.samples(), data.fitSize());
            compensation = new Compensation.LeastSquares(data.trainFeatures().get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()));
        } else {
            long width = net.input().complete() || data == null ? net.input().features() : data.numFeatures();
            compensation = Compensation.LeastSquares.gaussian(width, spec.samples(), spec.seed());
        }
        NeuronMerging.Result r = NeuronMerging.merge(net, spec.fraction(), compensation);
        return new MergeResult(r.network(), Map.of(MergeResult.MERGED_UNITS,
                (double) r.merged().values().stream().mapToInt(Integer::intValue).sum()));
    }

    /** LaCo on residual blocks or chains of Dense layers, the run chosen on the holdout, then healed (optionally distilled from the parent). */
    private static MergeResult collapse(Network net, Dataset data, MergeSpec spec) {
        if (data == null) {
            throw new IllegalArgumentException("merge: layers needs a data set");
        }
        LayerCollapse.Result r = LayerCollapse.collapse(net, spec.blocks(), data);
        if (spec.healEpochs() > 0) {
            TrainerFineTuner.of(Distillation.softTargets(data, net.model(), spec.distill()), spec.healLearningRate(), 0.01,
                    spec.seed(), null).fineTune(r.network().model(), spec.healEpochs(), StepHook.NONE);
        }
        return new MergeResult(r.network(), Map.of(MergeResult.COLLAPSED_BLOCKS, (double) r.removed().size(),
                MergeResult.HOLDOUT_ACCURACY, ModelMetrics.holdoutScore(r.network().model(), data).accuracy()));
    }

    private static MergeResult fusion(Network net, MergeMethod method) {
        int before = net.layers().length;
        Network out;
        if (method == MergeMethod.FOLD_BATCHNORM) {
            List<BatchNormFolding.Pair> pairs = BatchNormFolding.find(net);
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("fold-batchnorm: nothing to fold: no BatchNormalization follows a Dense or "
                        + "Convolution layer with an identity activation that nothing else reads");
            }
            out = BatchNormFolding.fold(net, pairs);
        } else {
            out = net;
            Optional<Network> next;
            while ((next = LinearFusion.fuseOne(out)).isPresent()) {
                out = next.get();
            }
            if (out == net) {
                List<LinearFusion.Pair> pairs = LinearFusion.find(net);
                throw new IllegalArgumentException("fuse-linear: nothing to fuse: " + (pairs.isEmpty()
                        ? "no Dense layer with an identity activation is read by one Dense or Output layer alone"
                        : pairs.stream().map(LinearFusion.Pair::refusal).collect(Collectors.joining("; "))
                                + " (the pair has fewer; not fused)"));
            }
        }
        return new MergeResult(out, Map.of(MergeResult.REMOVED_LAYERS, (double) (before - out.layers().length)));
    }

    /** Task vectors from the member that is every other member's parent; λ chosen on the holdout. */
    private static Network taskMerge(List<Network> nets, List<Member> versions, Dataset data, MergeSpec spec,
                                     Map<String, Double> stats) {
        int base = -1;
        for (int i = 0; i < versions.size(); i++) {
            String id = versions.get(i).id();
            int candidate = i;
            if (versions.size() > 1 && java.util.stream.IntStream.range(0, versions.size()).filter(j -> j != candidate)
                    .allMatch(j -> versions.get(j).parents().contains(id))) {
                base = i;
            }
        }
        if (base < 0) {
            throw new IllegalArgumentException("merge method " + spec.method().key() + " needs the models' common parent "
                    + "in the set (gather it with them, e.g. from: [trained, finetuned] with gather by lineage); no member of "
                    + versions.stream().map(Member::id).toList() + " is the parent of all the others");
        }
        double[] baseParams = nets.get(base).params().toDoubleVector();
        List<double[]> tasks = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            if (i != base) {
                tasks.add(nets.get(i).params().toDoubleVector());
            }
        }
        Network best = null;
        double bestAccuracy = -1;
        double bestLambda = 0;
        for (double lambda : spec.lambdas()) {
            double[] merged = switch (spec.method()) {
                case TASK_ARITHMETIC -> TaskVectors.taskArithmetic(baseParams, tasks, lambda);
                case TIES -> TaskVectors.ties(baseParams, tasks, spec.density(), lambda);
                default -> TaskVectors.dare(baseParams, tasks, spec.dropRate(), lambda, spec.seed());
            };
            Network candidate = Soup.withParams(nets.get(base), merged);
            double a = ModelMetrics.holdoutScore(candidate.model(), data).accuracy();
            if (a > bestAccuracy) {
                best = candidate;
                bestAccuracy = a;
                bestLambda = lambda;
            }
        }
        stats.put(MergeResult.INGREDIENTS, (double) tasks.size());
        stats.put(MergeResult.LAMBDA, bestLambda);
        return best;
    }
}
