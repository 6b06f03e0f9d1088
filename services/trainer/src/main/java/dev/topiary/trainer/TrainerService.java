package dev.topiary.trainer;

import dev.topiary.events.OperationKind;
import dev.topiary.nn.stage.ChangedModel;
import dev.topiary.nn.stage.ModelServiceKind;
import dev.topiary.nn.stage.ModelStage;
import dev.topiary.nn.stage.StageProgress;
import dev.topiary.nn.train.TrainOnly;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingResult;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.Transformation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The trainer service ({@code uses: train}): trains the input network on the stage's data set
 * with the stage's updater, learning rate, weight decay and seed, never on the data set's holdout,
 * stopping early when the loss on the holdout stops improving for {@code patience} epochs. A network fresh from
 * {@code topiary new} is trained (TRAIN); anything else was trained before, so it is fine-tuned
 * (FINETUNE). A parent labelled {@link TrainOnly#LABEL} (a grow's {@code trainOnly: new}) trains only
 * the layers the label names, the rest frozen (or held back to the share of the rate that
 * {@link TrainOnly#OTHERS_RATE} gives), and the labels are not passed on.
 */
public final class TrainerService implements ModelServiceKind {
    public static final String NAME = "train";
    /** Its own metrics, published as {@code train.epochsRun} and {@code train.seconds}. */
    static final String EPOCHS_RUN = "epochsRun";
    static final String SECONDS = "seconds";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "train or fine-tune a network on the stage's data set";
    }

    @Override
    public Set<String> metrics() {
        return Set.of(EPOCHS_RUN, SECONDS);
    }

    @Override
    public Transformation create(StageParams params) {
        TrainingConfig config = TrainParams.read(params);
        return new ModelStage((model, data, input) -> {
            OperationKind kind = input.version().getOperation().getKind() == OperationKind.NEW
                    ? OperationKind.TRAIN : OperationKind.FINETUNE;
            Map<String, String> parentLabels = input.version().getLabels();
            TrainingResult result = new Trainer(config).fit(model, data, new StageProgress(input, null),
                    TrainOnly.holdOthers(model, parentLabels));
            Map<String, String> labels = new HashMap<>();
            if (TrainOnly.requested(parentLabels)) {
                labels.putAll(TrainOnly.honoured()); // honoured once: the published network trains whole later
            }
            return new ChangedModel(model, kind, null,
                    Map.of(MetricNames.qualified(NAME, EPOCHS_RUN), (double) result.epochsRun(),
                            MetricNames.qualified(NAME, SECONDS), result.seconds()),
                    labels);
        });
    }
}
