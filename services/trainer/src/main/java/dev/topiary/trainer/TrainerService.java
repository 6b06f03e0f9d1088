package dev.topiary.trainer;

import dev.topiary.events.OperationKind;
import dev.topiary.nn.stage.ChangedModel;
import dev.topiary.nn.stage.ModelStage;
import dev.topiary.nn.stage.StageProgress;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.nn.train.TrainingResult;
import dev.topiary.runtime.stage.ServiceKind;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.Transformation;
import java.util.Map;

/**
 * The trainer service ({@code uses: train}): trains the input network on the stage's data set
 * with the stage's updater, learning rate, weight decay and seed, stopping early when the
 * validation loss stops improving for {@code patience} epochs. A network fresh from
 * {@code topiary new} is trained (TRAIN); anything else was trained before, so it is fine-tuned
 * (FINETUNE).
 */
public final class TrainerService implements ServiceKind {
    public static final String NAME = "train";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "train or fine-tune a network on the stage's data set";
    }

    @Override
    public Transformation create(StageParams params) {
        TrainingConfig config = TrainParams.read(params);
        return new ModelStage((model, data, input) -> {
            OperationKind kind = input.version().getOperation().getKind() == OperationKind.NEW
                    ? OperationKind.TRAIN : OperationKind.FINETUNE;
            TrainingResult result = new Trainer(config).fit(model, data, new StageProgress(input, null), null);
            return new ChangedModel(model, kind, null,
                    Map.of("epochsRun", (double) result.epochsRun(), "trainSeconds", result.seconds()),
                    Map.of());
        });
    }
}
