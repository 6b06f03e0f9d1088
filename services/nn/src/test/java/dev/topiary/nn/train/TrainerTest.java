package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetException;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.runtime.stage.Cancellation;
import dev.topiary.surgery.graph.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TrainerTest {
    private final Dataset data = TrainingFixtures.data();

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void twoEpochsOnASubsetLearnFarAboveChance(boolean dense) {
        MultiLayerNetwork net = TrainingFixtures.mlp(1);
        double before = TrainingFixtures.testAccuracy(net, data);

        TrainingResult result = new Trainer(TrainingFixtures.quick(), dense).fit(net, data, null, null);

        double after = TrainingFixtures.testAccuracy(net, data);
        assertTrue(before < 0.3, "untrained accuracy " + before);
        assertTrue(after > 0.70, "accuracy after 2 epochs " + after);
        assertEquals(2, result.epochsRun());
        assertEquals(2700 * 2, result.samplesSeen(), "3000 rows but the holdout's 300");
        assertTrue(result.finalTrainLoss() > 0 && result.finalTrainLoss() < 1.0, "loss " + result.finalTrainLoss());
        assertNull(result.bestValidationLoss());
        assertEquals(0, result.bestEpoch());
    }

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void sameSeedAndNetworkGiveBitIdenticalWeights(boolean dense) {
        MultiLayerNetwork original = TrainingFixtures.mlp(7);
        TrainingConfig config = TrainingFixtures.quick().withWeightDecay(0.01).withEarlyStopping(3);

        MultiLayerNetwork first = original.clone();
        MultiLayerNetwork second = original.clone();
        MultiLayerNetwork otherSeed = original.clone();
        new Trainer(config, dense).fit(first, data, null, null);
        new Trainer(config, dense).fit(second, data, null, null);
        new Trainer(config.withSeed(8), dense).fit(otherSeed, data, null, null);

        assertArrayEquals(first.params().toFloatVector(), second.params().toFloatVector());
        assertFalse(first.params().equalsWithEps(otherSeed.params(), 1e-6), "another seed shuffles differently");
    }

    @Test
    void graphTrainingIsReproducibleToo() {
        ComputationGraph original = TrainingFixtures.residualGraph(3);
        ComputationGraph first = original.clone();
        ComputationGraph second = original.clone();
        new Trainer(TrainingFixtures.quick()).fit(first, data, null, null);
        new Trainer(TrainingFixtures.quick()).fit(second, data, null, null);
        assertArrayEquals(first.params().toFloatVector(), second.params().toFloatVector());
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        // 540 rows to train on, 60 in the holdout, a high constant rate and no decay: the holdout loss turns up within a few epochs
        Dataset tiny = data.limit(600, 200);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(40).withBatchSize(32).withLearningRate(1e-2)
                .withWeightDecay(0).withSchedule(LearningRateSchedule.CONSTANT).withEarlyStopping(2);
        MultiLayerNetwork net = TrainingFixtures.mlp(5);
        List<float[]> weightsAfterEpoch = new ArrayList<>();
        List<Double> validationLosses = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpoch(int epoch, int epochs, double trainLoss, Double validationLoss, Double validationAccuracy) {
                weightsAfterEpoch.add(net.params().toFloatVector());
                validationLosses.add(validationLoss);
                assertNotNull(validationAccuracy);
            }
        };

        TrainingResult result = new Trainer(config).fit(net, tiny, recorder, null);

        assertTrue(result.epochsRun() < 40, "stopped early, after " + result.epochsRun());
        assertEquals(result.epochsRun(), result.bestEpoch() + 2, "stops after patience epochs without a new best");
        assertEquals(validationLosses.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                result.bestValidationLoss(), 0.0);
        assertEquals(validationLosses.get(result.bestEpoch() - 1), result.bestValidationLoss(), 0.0);
        assertArrayEquals(weightsAfterEpoch.get(result.bestEpoch() - 1), net.params().toFloatVector(),
                "the best epoch's weights are back");
        assertFalse(java.util.Arrays.equals(weightsAfterEpoch.get(result.epochsRun() - 1), net.params().toFloatVector()));
    }

    @Test
    void aTargetAccuracyStopsAtTheFirstEpochReachingItOnTheHoldout() {
        Dataset tiny = data.limit(600, 200);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(30).withBatchSize(32).withTargetAccuracy(0.6);
        MultiLayerNetwork net = TrainingFixtures.mlp(5);
        List<Double> accuracies = new ArrayList<>();
        List<float[]> weightsAfterEpoch = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpoch(int epoch, int epochs, double trainLoss, Double validationLoss, Double validationAccuracy) {
                accuracies.add(validationAccuracy);
                weightsAfterEpoch.add(net.params().toFloatVector());
            }
        };

        TrainingResult result = new Trainer(config).fit(net, tiny, recorder, null);

        assertTrue(result.epochsRun() < 30, "stopped at the target, after " + result.epochsRun());
        assertTrue(accuracies.get(result.epochsRun() - 1) >= 0.6, "holdout accuracies " + accuracies);
        assertTrue(accuracies.subList(0, result.epochsRun() - 1).stream().allMatch(a -> a < 0.6),
                "no earlier epoch reached it: " + accuracies);
        assertArrayEquals(weightsAfterEpoch.get(result.epochsRun() - 1), net.params().toFloatVector(),
                "the weights of the epoch that reached it");
    }

    @Test
    void aTargetCheckedSeveralTimesAnEpochStopsWithinTheEpoch() {
        Dataset tiny = data.limit(600, 200); // 540 fit rows: 17 batches of 32 an epoch
        TrainingConfig config = TrainingConfig.defaults().withEpochs(30).withBatchSize(32);
        MultiLayerNetwork onceAnEpoch = TrainingFixtures.mlp(5);
        MultiLayerNetwork fourTimes = onceAnEpoch.clone();

        TrainingResult coarse = new Trainer(config.withTargetAccuracy(0.6)).fit(onceAnEpoch, tiny, null, null);
        List<Double> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(int epoch, int epochs, double trainLoss, Double validationLoss, Double validationAccuracy) {
                heard.add(validationAccuracy);
            }
        };
        TrainingResult fine = new Trainer(config.withTarget(new AccuracyTarget(0.6, 4))).fit(fourTimes, tiny, listener, null);

        // the checks score the holdout only, so both runs take the same steps until the finer one stops
        assertTrue(fine.samplesSeen() < coarse.samplesSeen(), fine.samplesSeen() + " vs " + coarse.samplesSeen());
        assertTrue(fine.samplesSeen() % 540 != 0, "stopped within an epoch, after " + fine.samplesSeen() + " rows");
        long batchesInLastEpoch = (fine.samplesSeen() - 540L * (fine.epochsRun() - 1)) / 32;
        assertTrue(List.of(5L, 9L, 13L).contains(batchesInLastEpoch), "at a check, after batch " + batchesInLastEpoch);
        assertTrue(HeldOutScore.accuracy(Network.of(fourTimes), tiny.holdoutFeatures(), tiny.holdoutLabels()) >= 0.6);
        assertEquals(fine.epochsRun(), heard.size(), "the listener heard the partial epoch too: " + heard);
        assertTrue(heard.get(heard.size() - 1) >= 0.6, "with the accuracy that ended it: " + heard);
    }

    @Test
    void aScheduleSplitOverTwoFitsGoesOnAtTheDecayedRate() {
        Dataset tiny = data.limit(600, 200);
        TrainingConfig whole = TrainingConfig.defaults().withEpochs(3).withBatchSize(32).withLearningRate(1e-2);
        MultiLayerNetwork once = TrainingFixtures.mlp(5);
        MultiLayerNetwork inParts = once.clone();
        MultiLayerNetwork restarted = once.clone();
        new Trainer(whole).fit(once, tiny, null, null);
        new Trainer(whole.withEpochs(1).withSchedulePart(0, 3)).fit(inParts, tiny, null, null);
        new Trainer(whole.withEpochs(2).withSchedulePart(1, 3).withSeed(43)).fit(inParts, tiny, null, null);
        new Trainer(whole.withEpochs(1)).fit(restarted, tiny, null, null);
        new Trainer(whole.withEpochs(2).withSeed(43)).fit(restarted, tiny, null, null);

        // the second fit starts afresh (Adam's moments) but at the decayed rate: it ends nearer the one run than a restart
        double partsGap = once.params().distance2(inParts.params());
        double restartGap = once.params().distance2(restarted.params());
        assertTrue(partsGap < restartGap, "split " + partsGap + " vs restarted " + restartGap);
    }

        @Test
    void theHoldoutIsTheLastTenthOfTheTrainingRowsAndNeverTrainedOn() {
        int[] trained = Trainer.trainingRows(data);
        java.util.Set<Integer> holdout = new java.util.HashSet<>();
        for (int row = data.fitSize(); row < data.trainSize(); row++) {
            holdout.add(row);
        }
        assertEquals(300, holdout.size());
        assertEquals(2700, data.fitSize());
        assertEquals(2700, trained.length);
        for (int row : trained) {
            assertFalse(holdout.contains(row), "row " + row + " is in the holdout and in the training rows");
        }
        assertEquals(data.trainSize(), trained.length + holdout.size(), "every training row is one or the other");
        // the same rows whatever the seed: the holdout is positional
        assertArrayEquals(trained, Trainer.trainingRows(data));
        assertEquals(data.trainFeatures().getRow(2700), data.holdoutFeatures().getRow(0));
    }

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void trainingNeverReadsTheHoldout(boolean dense) {
        // NaN in every holdout row: one of them in one batch would make every weight NaN
        INDArray poisoned = data.trainFeatures().dup();
        poisoned.get(NDArrayIndex.interval(data.fitSize(), data.trainSize()), NDArrayIndex.all()).assign(Double.NaN);
        Dataset withPoisonedHoldout = new Dataset("poisoned", "test", poisoned, data.trainLabels(), data.testFeatures(),
                data.testLabels(), data.numClasses(), data.imageShape());
        MultiLayerNetwork net = TrainingFixtures.mlp(3);

        TrainingResult result = new Trainer(TrainingFixtures.quick().withEpochs(1), dense).fit(net, withPoisonedHoldout, null, null);

        assertTrue(Double.isFinite(result.finalTrainLoss()), "loss " + result.finalTrainLoss());
        assertTrue(Double.isFinite(net.params().sumNumber().doubleValue()), "weights stayed finite");
        assertTrue(TrainingFixtures.testAccuracy(net, data) > 0.6);
    }

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void stepHookRunsAfterEveryStepAndKeepsPrunedWeightsAtZero(boolean dense) {
        MultiLayerNetwork net = TrainingFixtures.mlp(11);
        INDArray prunedRows = net.getLayer(0).getParam("W").get(NDArrayIndex.interval(0, 300), NDArrayIndex.all());
        prunedRows.assign(0);
        AtomicInteger calls = new AtomicInteger();
        StepHook hook = model -> {
            calls.incrementAndGet();
            ((MultiLayerNetwork) model).getLayer(0).getParam("W")
                    .get(NDArrayIndex.interval(0, 300), NDArrayIndex.all()).assign(0);
        };

        new Trainer(TrainingFixtures.quick(), dense).fit(net, data, null, hook);

        assertEquals(2 * 43, calls.get(), "2 epochs of ceil(2700 / 64) steps: 3000 rows but the holdout's 300");
        INDArray w = net.getLayer(0).getParam("W");
        assertEquals(0.0, w.get(NDArrayIndex.interval(0, 300), NDArrayIndex.all()).amaxNumber().doubleValue(), 0.0);
        assertTrue(w.get(NDArrayIndex.interval(300, 784), NDArrayIndex.all()).amaxNumber().doubleValue() > 0);
        assertTrue(TrainingFixtures.testAccuracy(net, data) > 0.65, "trains around the pruned inputs");
    }

    @Test
    void trainsAComputationGraphWithAResidualAdd() {
        ComputationGraph graph = TrainingFixtures.residualGraph(2);
        TrainingResult result = new Trainer(TrainingFixtures.quick()).fit(graph, data, null, null);
        assertEquals(2, result.epochsRun());
        assertTrue(TrainingFixtures.testAccuracy(graph, data) > 0.70);
    }

    @Test
    void trainsLeNetWithBatchNormalisationThroughDl4jFit() {
        Dataset few = data.limit(1000, 500);
        MultiLayerNetwork cnn = ModelFactory.cnn(1, true);
        assertTrue(PlainMlp.whyNot(Network.of(cnn)).isPresent());
        new Trainer(TrainingFixtures.quick().withEpochs(1)).fit(cnn, few, null, null);
        assertTrue(TrainingFixtures.testAccuracy(cnn, few) > 0.4);
    }

    @Test
    void cancellationStopsBeforeTheNextBatch() {
        MultiLayerNetwork net = TrainingFixtures.mlp(1);
        AtomicInteger steps = new AtomicInteger();
        TrainingListener cancelAfterFive = new TrainingListener() {
            @Override
            public boolean cancelled() {
                return steps.get() >= 5;
            }
        };
        assertThrows(Cancellation.JobCancelledException.class,
                () -> new Trainer(TrainingFixtures.quick()).fit(net, data, cancelAfterFive, model -> steps.incrementAndGet()));
        assertEquals(5, steps.get());
    }

    @Test
    void dl4jListenersAreDetachedDuringTheFitAndPutBack() {
        MultiLayerNetwork net = TrainingFixtures.mlp(1);
        ScoreIterationListener dl4jListener = new ScoreIterationListener(1);
        net.setListeners(dl4jListener);
        new Trainer(TrainingFixtures.quick(), false).fit(net, data, null,
                model -> assertTrue(((MultiLayerNetwork) model).getListeners().isEmpty()));
        assertEquals(List.of(dl4jListener), new ArrayList<>(net.getListeners()));
    }

    @Test
    void dataThatDoesNotFitTheNetworkIsRefusedWithBothShapes() {
        MultiLayerNetwork net = TrainingFixtures.mlp(1);
        Dataset narrow = new Dataset("narrow", "test", data.trainFeatures().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 100)),
                data.trainLabels(), data.testFeatures(), data.testLabels(), 10, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainingFixtures.quick()).fit(net, narrow, null, null));
        assertTrue(e.getMessage().contains("100 features") && e.getMessage().contains("784 inputs"), e.getMessage());
    }

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void augmentedImagesStillTeachReproduciblyAndLeaveTheDataAsItWas(boolean dense) {
        INDArray featuresBefore = data.trainFeatures().dup();
        TrainingConfig augmented = TrainingFixtures.quick().withAugmentation(new Augmentation(true, 2));
        MultiLayerNetwork plain = TrainingFixtures.mlp(5);
        MultiLayerNetwork first = plain.clone();
        MultiLayerNetwork second = plain.clone();
        new Trainer(TrainingFixtures.quick(), dense).fit(plain, data, null, null);
        new Trainer(augmented, dense).fit(first, data, null, null);
        new Trainer(augmented, dense).fit(second, data, null, null);

        assertEquals(first.params(), second.params(), "the same seed changes the images alike");
        assertFalse(first.params().equals(plain.params()), "the images were changed");
        assertTrue(TrainingFixtures.testAccuracy(first, data) > 0.65, "accuracy " + TrainingFixtures.testAccuracy(first, data));
        assertEquals(featuresBefore, data.trainFeatures(), "only the batch copies change, never the data set");
    }

    @Test
    void augmentOnFeatureRowsThatAreNoImagesIsRefusedNamingTheDataSet() {
        Dataset rows = new Dataset("rows", "test", data.trainFeatures(), data.trainLabels(), data.testFeatures(),
                data.testLabels(), data.numClasses(), null);
        Trainer trainer = new Trainer(TrainingFixtures.quick().withAugmentation(new Augmentation(true, 0)));
        DatasetException e = assertThrows(DatasetException.class, () -> trainer.fit(TrainingFixtures.mlp(1), rows, null, null));
        assertTrue(e.getMessage().contains("data set rows") && e.getMessage().contains("augment flip"), e.getMessage());
    }
}
