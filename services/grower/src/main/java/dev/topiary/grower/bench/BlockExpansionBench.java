package dev.topiary.grower.bench;

import dev.topiary.grower.GrowSpec;
import dev.topiary.grower.Growing;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.InputCompatibility;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.Augmentation;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.TrainOnly;
import dev.topiary.nn.train.TrainedModelFolder;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.nn.train.TrainingResult;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.macs.MacCounter;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The block-expansion part of {@code topiary bench grow}: a resmlp of 4 blocks x 256 trained E
 * epochs (the parent) gets a zero-started block after each of its blocks (8 blocks) and trains 2
 * epochs with {@code trainOnly: new}, the other layers frozen or, with an others' rate above 0,
 * held back to that share of the rate; control: the parent trained 2 more epochs at the same peak
 * rate. Both runs start from the same parent, whose function the expanded network computes exactly
 * at step 0 (measured on the test split, with the predictions compared). A repetition R shifts
 * the parent's initialisation seed and the 2-epoch fits' shuffle seed by R (the parent trains with
 * the trainer's defaults, as every kept network does).
 */
final class BlockExpansionBench {
    private static final int BLOCKS = 4;
    private static final int WIDTH = 256;
    private static final int EPOCHS_AFTER = 2;
    private static final long PARENT_SEED = 4;

    private final Dataset data;
    private final int epochs;
    private final PrintStream log;
    private final TrainedModelFolder parents;
    private final long parentSeed;
    private final long fitSeed;

    BlockExpansionBench(Dataset data, int epochs, int repetition, PrintStream log, TrainedModelFolder parents) {
        this.data = data;
        this.epochs = epochs;
        this.log = log;
        this.parents = parents;
        this.parentSeed = PARENT_SEED + repetition;
        this.fitSeed = TrainingConfig.defaults().seed() + repetition;
    }

    /**
     * @param learningRate the peak rate of the 2 epochs, expansion and control alike
     * @param othersRate the share of that rate at which the parent's layers train beside the new
     *        blocks (0: frozen, {@code trainOnly: new} as it is)
     * @param augmentation how the 2 epochs change their training images, expansion and control alike
     */
    List<GrowBenchRow> run(double learningRate, double othersRate, Augmentation augmentation) {
        String name = String.format(Locale.ROOT, "resmlp-w%d-b%d-s%d", WIDTH, BLOCKS, parentSeed);
        Model parent = parents.get(name, () -> ModelFactory.resmlp(784, WIDTH, BLOCKS, 10, parentSeed), epochs);
        double parentAccuracy = ModelMetrics.score(parent, data).accuracy();
        double parentHoldout = ModelMetrics.holdoutScore(parent, data).accuracy();
        Model control = Network.of(parent).copy().model();

        GrowSpec spec = GrowSpec.fromMap(Map.of("method", "blocks", "every", 1, "trainOnly", "new"));
        Network grown = Growing.grow(Network.of(parent), InputCompatibility.check(parent, data), spec, new HashMap<>());
        INDArray before = ModelMetrics.output(parent, data.testFeatures());
        INDArray atStepZero = ModelMetrics.output(grown.model(), data.testFeatures());
        double stepZero = Growing.maxAbsDiff(before, atStepZero);
        boolean samePredictions = before.argMax(1).equals(atStepZero.argMax(1));
        List<String> added = Growing.added(parent, grown.model());
        log.printf(Locale.ROOT, "block expansion: parent test %.4f, holdout %.4f; step 0 max |Δ output| %.2e; %d new nodes,"
                + " the others at %s of the rate%n", parentAccuracy, parentHoldout, stepZero, added.size(), othersRate);

        TrainingConfig twoEpochs = TrainingConfig.defaults().withEpochs(EPOCHS_AFTER).withLearningRate(learningRate)
                .withSeed(fitSeed).withAugmentation(augmentation);
        StepHook others = TrainOnly.holdOthers(grown.model(), TrainOnly.labels(added, othersRate));
        TrainingResult expansion = new Trainer(twoEpochs).fit(grown.model(), data, TrainingListener.NONE, others);
        log.println("block expansion: control, the parent " + EPOCHS_AFTER + " more epochs");
        TrainingResult controlRun = new Trainer(twoEpochs).fit(control, data, TrainingListener.NONE, StepHook.NONE);

        Map<String, Double> g = values(grown.model(), parentAccuracy, parentHoldout, expansion, macs(grown.model()));
        g.put("maxAbsDiff", stepZero);
        g.put("samePredictions", samePredictions ? 1.0 : 0.0);
        String rates = String.format(Locale.ROOT, "2 epochs at %s, others at %s of it", learningRate, othersRate);
        return List.of(new GrowBenchRow("block expansion", GrowBenchRow.augmented("blocks every 1, trainOnly new, " + rates, augmentation),
                        "resmlp 4x256 -> 8x256", g),
                new GrowBenchRow("block control", GrowBenchRow.augmented("none (parent 2 more epochs at " + learningRate + ")", augmentation),
                        "resmlp 4x256", values(control, parentAccuracy, parentHoldout, controlRun, macs(control))));
    }

    private Map<String, Double> values(Model trained, double parentAccuracy, double parentHoldout, TrainingResult run, long macs) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("accuracy", ModelMetrics.score(trained, data).accuracy());
        v.put("parentAccuracy", parentAccuracy);
        v.put("holdoutAccuracy", ModelMetrics.holdoutScore(trained, data).accuracy());
        v.put("parentHoldoutAccuracy", parentHoldout);
        v.put("trainLoss", run.finalTrainLoss());
        v.put("flops", 6.0 * macs * run.samplesSeen());
        v.put("seconds", run.seconds());
        return v;
    }

    private long macs(Model model) {
        return MacCounter.count(model, InputCompatibility.check(model, data).inputType());
    }
}
