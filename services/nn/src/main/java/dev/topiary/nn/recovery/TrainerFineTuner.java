package dev.topiary.nn.recovery;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.train.FrozenLayers;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingListener;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Model;

/**
 * Fine-tuning with the shared {@link Trainer}, so a changed model is trained exactly as the trainer
 * service would train it (same updater, schedule, seeding), with the caller's step hook (a pruning
 * mask) and, if asked, some layers held fixed ({@link FrozenLayers}) for the run.
 *
 * <pre>{@code
 * FineTuner heal = TrainerFineTuner.of(data, 1e-3, 0.01, seed, listener).freezing(List.of("stem", "bn0"));
 * heal.fineTune(cut, 2, StepHook.NONE);
 * }</pre>
 */
public final class TrainerFineTuner implements FineTuner {
    private final Dataset data;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final List<String> frozen;

    /**
     * @param config the training settings; its epoch count is replaced by each call's
     * @param listener progress and cancellation, passed through to the trainer; may be null
     */
    public TrainerFineTuner(Dataset data, TrainingConfig config, TrainingListener listener) {
        this(data, config, listener, List.of());
    }

    private TrainerFineTuner(Dataset data, TrainingConfig config, TrainingListener listener, List<String> frozen) {
        this.data = data;
        this.config = config;
        this.listener = listener;
        this.frozen = List.copyOf(frozen);
    }

    /** The trainer's defaults at a fine-tuning learning rate, weight decay and seed. */
    public static TrainerFineTuner of(Dataset data, double learningRate, double weightDecay, long seed,
            TrainingListener listener) {
        return new TrainerFineTuner(data, TrainingConfig.defaults().withLearningRate(learningRate)
                .withWeightDecay(weightDecay).withSeed(seed), listener);
    }

    /** The same fine-tuning with {@code layers} frozen in every run (checked against each model it trains). */
    public TrainerFineTuner freezing(Collection<String> layers) {
        return new TrainerFineTuner(data, config, listener, List.copyOf(layers));
    }

    @Override
    public void fineTune(Model model, int epochs, StepHook afterStep) {
        StepHook hook = frozen.isEmpty() ? afterStep : FrozenLayers.of(model, frozen).andThen(afterStep);
        new Trainer(config.withEpochs(epochs)).fit(model, data, listener, hook);
    }
}
