package dev.topiary.merger.bench;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.train.FrozenLayers;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.surgery.graph.Blueprint;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fine-tune whose loss covers only some classes: the network trains with its output layer
 * narrowed to those classes' units (a softmax over them alone), then the trained units go back
 * into the full output layer, every other class's unit as it was. Under the full softmax, a
 * fine-tune on classes 0-4 mostly learns never to predict 5-9 (0.68 on all ten classes at best in
 * the bench's earlier runs), and its task vector carries that forgetting into every merge.
 */
final class OwnClassesFineTune {
    private OwnClassesFineTune() {}

    /**
     * @param data rows of every class; only those of {@code classes} are trained on
     * @param frozen layers held fixed (empty for the whole network)
     * @return a fine-tuned copy of {@code parent} with its full output layer
     */
    static Network fineTune(Network parent, Dataset data, int[] classes, TrainingConfig config, List<String> frozen) {
        Blueprint narrow = parent.blueprint();
        Blueprint.Entry output = narrow.entry(narrow.output());
        Map<String, INDArray> full = parent.params(output.name());
        ((FeedForwardLayer) output.layer()).setNOut(classes.length);
        output.setParams(Map.of("W", full.get("W").get(NDArrayIndex.all(), NDArrayIndex.indices(longs(classes))).dup(),
                "b", full.get("b").get(NDArrayIndex.all(), NDArrayIndex.indices(longs(classes))).dup()));
        Network student = narrow.build(Blueprint.ParamFill.COPY);
        StepHook hook = frozen.isEmpty() ? StepHook.NONE : FrozenLayers.of(student.model(), frozen);
        new Trainer(config).fit(student.model(), ownClasses(data, classes), null, hook);

        Network tuned = parent.copy();
        for (Blueprint.Entry e : narrow.entries()) {
            Map<String, INDArray> trained = student.params(e.name());
            for (Map.Entry<String, INDArray> p : tuned.params(e.name()).entrySet()) {
                if (!e.name().equals(output.name())) {
                    p.getValue().assign(trained.get(p.getKey()));
                } else if (p.getKey().equals("W")) {
                    for (int k = 0; k < classes.length; k++) {
                        p.getValue().getColumn(classes[k]).assign(trained.get("W").getColumn(k));
                    }
                } else {
                    for (int k = 0; k < classes.length; k++) { // b is [1, classes]: linear indices
                        p.getValue().putScalar(classes[k], trained.get("b").getDouble(k));
                    }
                }
            }
        }
        return tuned;
    }

    /** The rows of {@code classes}, labelled by their position in {@code classes}. */
    private static Dataset ownClasses(Dataset data, int[] classes) {
        Set<Integer> set = IntStream.of(classes).boxed().collect(Collectors.toSet());
        Dataset rows = data.withClasses(set);
        long[] columns = longs(classes);
        return new Dataset(rows.name(), rows.source(), rows.trainFeatures(),
                rows.trainLabels().get(NDArrayIndex.all(), NDArrayIndex.indices(columns)).dup(), rows.testFeatures(),
                rows.testLabels().get(NDArrayIndex.all(), NDArrayIndex.indices(columns)).dup(), classes.length, rows.imageShape());
    }

    private static long[] longs(int[] values) {
        return IntStream.of(values).asLongStream().toArray();
    }
}
