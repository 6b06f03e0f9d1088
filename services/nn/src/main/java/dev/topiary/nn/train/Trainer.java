package dev.topiary.nn.train;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetException;
import dev.topiary.nn.threads.ModelWork;
import dev.topiary.nn.threads.NativeThreads;
import dev.topiary.runtime.stage.Cancellation;
import dev.topiary.surgery.graph.Network;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a DL4J network in place on a data set's training rows: used by the trainer service, by
 * the pruner to fine-tune between pruning steps, and by {@code topiary bench train}.
 *
 * <p>One {@link #fit}:
 * <ol>
 *   <li>writes the configuration's updater, learning rate and weight decay into the network and
 *       starts its optimiser afresh ({@link InstalledUpdater} says why), so a loaded or already
 *       trained network trains exactly like a new one with these settings;</li>
 *   <li>trains on the data set's training rows except its holdout ({@link Dataset#fitSize()}: the
 *       holdout is never trained on), every epoch in a new seeded order ({@link EpochBatches}), images
 *       changed at random as the configuration's {@link Augmentation} asks;</li>
 *   <li>runs one step per minibatch at the scheduled learning rate, calls the {@link StepHook}
 *       after every step, and the listener at most once a second;</li>
 *   <li>with {@code patience > 0}, scores the holdout after each epoch, stops once its loss has not
 *       improved for that many epochs and puts the best weights back; with an {@link AccuracyTarget},
 *       stops at the first holdout check (once an epoch, or more often) whose accuracy reaches it,
 *       keeping those weights.</li>
 * </ol>
 *
 * <p>Steps run on {@link DenseStepEngine} when the network is a plain MLP it can train exactly as
 * DL4J would (several times faster), and through DL4J's own {@code fit} otherwise. DL4J
 * {@code TrainingListener}s attached to the model are detached during the fit (and put back
 * after): progress goes to the {@link TrainingListener} given here, and a DL4J listener that
 * reads the score every iteration would cost more than the step.
 *
 * <p>Reproducible: the same seed, configuration and input network give bit-identical weights, as
 * long as the BLAS thread count is the same ({@link TrainingThreads}).
 *
 * <p>One heavy job per process: a fit holds the {@link ModelWork} lease, so no other training or
 * latency measurement in this JVM overlaps it, and the native thread settings it changes are put
 * back when it ends.
 *
 * <p>Cancellation: {@link TrainingListener#cancelled()} (or an interrupt of the calling thread) is
 * checked before every batch; fit then throws {@link Cancellation.JobCancelledException}, which
 * the stage runner treats as an abandoned job, and the network is left half-trained, to be
 * discarded by the caller.
 */
public final class Trainer {
    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final TrainingConfig config;
    private final boolean denseEngineAllowed;

    public Trainer(TrainingConfig config) {
        this(config, true);
    }

    /** With {@code denseEngineAllowed = false} every step goes through DL4J's fit: for tests and benchmark references. */
    Trainer(TrainingConfig config, boolean denseEngineAllowed) {
        this.config = Objects.requireNonNull(config, "config");
        this.denseEngineAllowed = denseEngineAllowed;
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * Trains {@code model} in place.
     *
     * @param listener progress and cancellation; null for none
     * @param hook called after every parameter update; null for none
     */
    public TrainingResult fit(Model model, Dataset data, TrainingListener listener, StepHook hook) {
        Objects.requireNonNull(data, "data");
        requireImagesToAugment(data);
        TrainingListener events = listener == null ? TrainingListener.NONE : listener;
        StepHook afterStep = hook == null ? StepHook.NONE : hook;
        Network net = Network.of(model);
        Optional<String> notPlain = denseEngineAllowed ? PlainMlp.whyNot(net) : Optional.of("dense engine not allowed");
        Collection<org.deeplearning4j.optimize.api.TrainingListener> dl4jListeners = net.listeners();
        InstalledUpdater updater = null;
        try (ModelWork work = ModelWork.begin("training", events::cancelled);
             NativeThreads threads = TrainingThreads.forTraining(notPlain.isEmpty())) {
            net.setListeners(List.of());
            updater = InstalledUpdater.install(net, config);
            Nd4j.getRandom().setSeed(config.seed());
            return run(net, data, updater, notPlain, events, afterStep, threads.blas());
        } finally {
            if (updater != null) {
                updater.restoreConfiguredRate();
            }
            net.setListeners(dl4jListeners);
        }
    }

    private TrainingResult run(Network net, Dataset data, InstalledUpdater updater, Optional<String> notPlain,
                               TrainingListener listener, StepHook hook, int blasThreads) {
        long start = System.nanoTime();
        EpochBatches batches = new EpochBatches(data.trainFeatures(), data.trainLabels(), trainingRows(data),
                config.batchSize(), config.seed(), net.dataType());
        AccuracyTarget target = config.target();
        boolean validate = config.patience() > 0 || target.isSet();
        INDArray validationFeatures = validate ? data.holdoutFeatures() : null;
        INDArray validationLabels = validate ? data.holdoutLabels() : null;
        ImageAugmenter augmenter = config.augmentation().isSet()
                ? new ImageAugmenter(config.augmentation(), data.imageShape(), batches.featureBuffer(), config.seed()) : null;
        StepEngine engine = chooseEngine(net, updater, batches, notPlain);
        log.info("Training {} epochs of {} rows (not the {} of the holdout{}), batch {}, {} lr {} ({}), weight decay {}{}: engine {}, {} BLAS thread(s)",
                config.epochs(), batches.rowCount(), data.holdoutSize(), validate ? ", scored for early stopping" : "",
                config.batchSize(),
                config.updater(), config.learningRate(), scheduleText(), config.weightDecay(),
                augmenter == null ? "" : ", images changed by " + config.augmentation(), engine.name(), blasThreads);

        int perEpoch = batches.batchCount();
        long totalSteps = (long) config.epochs() * perEpoch;
        ProgressMeter progress = new ProgressMeter(listener, config.epochs(), perEpoch);
        EarlyStopping stopping = new EarlyStopping(config.patience());
        long step = 0;
        long samples = 0;
        int epochsRun = 0;
        double trainLoss = Double.NaN;
        boolean targetReached = false;
        double reachedAccuracy = Double.NaN;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            batches.shuffle();
            double lossSum = 0;
            long seenThisEpoch = 0;
            for (int batch = 0; batch < perEpoch; batch++) {
                if (listener.cancelled() || Thread.currentThread().isInterrupted()) {
                    throw new Cancellation.JobCancelledException();
                }
                long t0 = System.nanoTime();
                EpochBatches.Batch rows = batches.load(batch);
                if (augmenter != null) {
                    augmenter.apply(rows.rows());
                }
                double loss = engine.step(rows, config.learningRateAt(step, totalSteps));
                hook.afterStep(net.model(), step, totalSteps);
                step++;
                seenThisEpoch += rows.rows();
                lossSum += loss * rows.rows();
                progress.stepDone(epoch, batch + 1, System.nanoTime() - t0, lossSum / seenThisEpoch);
                if (batch < perEpoch - 1 && target.checkAfter(batch, perEpoch)) {
                    double accuracy = HeldOutScore.accuracy(net, validationFeatures, validationLabels);
                    if (accuracy >= target.accuracy()) {
                        log.info("Stopping in epoch {} after batch {} of {}: holdout accuracy {} reached the target {}",
                                epoch, batch + 1, perEpoch, accuracy, target.accuracy());
                        targetReached = true;
                        reachedAccuracy = accuracy;
                        break;
                    }
                }
            }
            samples += seenThisEpoch;
            epochsRun = epoch;
            trainLoss = lossSum / seenThisEpoch;
            if (targetReached) {
                // within the epoch: its weights are kept and early stopping has nothing to restore (a best
                // epoch found so far is a whole one); the listener hears the part of the epoch that ran,
                // with the accuracy that ended it (the check scored no loss)
                listener.onEpoch(epoch, config.epochs(), trainLoss, null, reachedAccuracy);
                break;
            }
            net.incrementEpochCount();
            Double validationLoss = null;
            Double validationAccuracy = null;
            if (validate) {
                HeldOutScore held = HeldOutScore.of(net, validationFeatures, validationLabels);
                validationLoss = held.loss();
                validationAccuracy = held.accuracy();
            }
            listener.onEpoch(epoch, config.epochs(), trainLoss, validationLoss, validationAccuracy);
            log.debug("Epoch {}/{}: train loss {}, validation loss {}, accuracy {}", epoch, config.epochs(), trainLoss,
                    validationLoss, validationAccuracy);
            if (target.isSet() && validationAccuracy >= target.accuracy()) {
                log.info("Stopping after epoch {}: holdout accuracy {} reached the target {}", epoch, validationAccuracy,
                        target.accuracy());
                stopping.record(epoch, validationLoss, net.params());
                targetReached = true;
                break;
            }
            if (validationLoss != null && stopping.record(epoch, validationLoss, net.params())) {
                log.info("Early stopping after epoch {}: no better validation loss than {} (epoch {}) for {} epochs",
                        epoch, stopping.bestLoss(), stopping.bestEpoch(), config.patience());
                break;
            }
        }
        engine.finish();
        if (!targetReached && stopping.restoreBest(net.params(), epochsRun)) {
            log.info("Restored the weights of epoch {} (validation loss {})", stopping.bestEpoch(), stopping.bestLoss());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(epochsRun, trainLoss, stopping.bestLoss(), stopping.bestEpoch(), seconds, samples);
    }

    private void requireImagesToAugment(Dataset data) {
        if (config.augmentation().isSet() && data.imageShape() == null) {
            throw new DatasetException("augment " + config.augmentation() + " changes images, but data set " + data.name()
                    + " has plain feature rows; train on it without augment");
        }
    }

    private String scheduleText() {
        SchedulePart part = config.schedulePart();
        return part.isWhole() ? config.schedule().toString() : config.schedule() + " over epochs " + (part.epochsBefore() + 1)
                + "-" + (part.epochsBefore() + config.epochs()) + " of " + part.epochsTotal();
    }

    /** The rows a fit trains on: every training row before the holdout, in order (each epoch shuffles them). */
    static int[] trainingRows(Dataset data) {
        return java.util.stream.IntStream.range(0, data.fitSize()).toArray();
    }

    private StepEngine chooseEngine(Network net, InstalledUpdater updater, EpochBatches batches,
                                    Optional<String> notPlain) {
        Optional<DenseStepEngine> dense = notPlain.isEmpty()
                ? DenseStepEngine.create(net, updater, config, batches) : Optional.empty();
        if (dense.isPresent()) {
            return dense.get();
        }
        log.debug("DL4J fit engine: {}", notPlain.orElse("updater without a heap form"));
        return new Dl4jStepEngine(net, updater, config.weightDecay() > 0);
    }
}
