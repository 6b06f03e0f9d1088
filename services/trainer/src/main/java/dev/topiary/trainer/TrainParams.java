package dev.topiary.trainer;

import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.runtime.stage.StageParams;
import java.util.Set;

/** Reads a train stage's {@code with:} block into a training configuration, refusing what makes no sense. */
final class TrainParams {
    static final Set<String> KEYS = Set.of("epochs", "batchSize", "learningRate", "updater", "momentum",
            "weightDecay", "seed", "patience", "validationFraction");

    private TrainParams() {}

    static TrainingConfig read(StageParams p) {
        p.requireOnly(KEYS);
        TrainingConfig d = TrainingConfig.defaults();
        TrainingConfig c = new TrainingConfig(
                p.getInt("epochs", d.epochs()),
                p.getInt("batchSize", d.batchSize()),
                p.getDouble("learningRate", d.learningRate()),
                p.getChoice("updater", d.updater(), Set.of("adam", "sgd")),
                p.getDouble("momentum", d.momentum()),
                p.getDouble("weightDecay", d.weightDecay()),
                p.getLong("seed", d.seed()),
                p.getInt("patience", d.patience()),
                p.getDouble("validationFraction", p.has("patience") ? 0.1 : d.validationFraction()));
        require(p, c.epochs() >= 1, "epochs", "at least 1");
        require(p, c.batchSize() >= 1, "batchSize", "at least 1");
        require(p, c.learningRate() > 0, "learningRate", "positive");
        require(p, c.momentum() >= 0 && c.momentum() < 1, "momentum", "in [0, 1)");
        require(p, c.weightDecay() >= 0, "weightDecay", "zero or positive");
        require(p, c.patience() >= 0, "patience", "zero (no early stopping) or positive");
        require(p, c.validationFraction() >= 0 && c.validationFraction() < 1, "validationFraction", "in [0, 1)");
        return c;
    }

    private static void require(StageParams p, boolean ok, String key, String what) {
        if (!ok) {
            throw new IllegalArgumentException("stage '" + p.stage() + "': parameter '" + key + "' must be " + what);
        }
    }
}
