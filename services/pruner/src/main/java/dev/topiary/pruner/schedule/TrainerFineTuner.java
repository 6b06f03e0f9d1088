package dev.topiary.pruner.schedule;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingListener;
import org.deeplearning4j.nn.api.Model;

/**
 * Fine-tuning with the shared {@link Trainer}, so a pruned model is trained exactly as the trainer
 * service would train it (same updater, schedule, seeding), with the pruning mask as its step hook.
 */
public final class TrainerFineTuner implements FineTuner {
    private final Dataset data;
    private final TrainingConfig config;
    private final TrainingListener listener;

    /**
     * @param config the training settings; its epoch count is replaced by each call's
     * @param listener progress and cancellation, passed through to the trainer; may be null
     */
    public TrainerFineTuner(Dataset data, TrainingConfig config, TrainingListener listener) {
        this.data = data;
        this.config = config;
        this.listener = listener;
    }

    /** The trainer's defaults at a fine-tuning learning rate, weight decay and seed. */
    public static TrainerFineTuner of(Dataset data, double learningRate, double weightDecay, long seed,
            TrainingListener listener) {
        return new TrainerFineTuner(data, TrainingConfig.defaults().withLearningRate(learningRate)
                .withWeightDecay(weightDecay).withSeed(seed), listener);
    }

    @Override
    public void fineTune(Model model, int epochs, StepHook afterStep) {
        new Trainer(config.withEpochs(epochs)).fit(model, data, listener, afterStep);
    }
}
