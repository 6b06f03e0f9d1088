package dev.topiary.trainer;

import dev.topiary.nn.train.Augmentation;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.runtime.stage.StageParams;
import java.util.Set;

/** Reads a train stage's {@code with:} block into a training configuration, refusing what makes no sense. */
final class TrainParams {
    static final Set<String> KEYS = Set.of("epochs", "batchSize", "learningRate", "updater", "momentum",
            "weightDecay", "seed", "patience", "schedule", "augment");

    private TrainParams() {}

    static TrainingConfig read(StageParams p) {
        p.requireOnly(KEYS);
        TrainingConfig d = TrainingConfig.defaults();
        // checked here, key by key, before the config's own check could report them without a key
        require(p, p.getInt("epochs", d.epochs()) >= 1, "epochs", "at least 1");
        require(p, p.getInt("batchSize", d.batchSize()) >= 1, "batchSize", "at least 1");
        require(p, p.getDouble("learningRate", d.learningRate()) > 0, "learningRate", "positive");
        double momentum = p.getDouble("momentum", d.momentum());
        require(p, momentum >= 0 && momentum < 1, "momentum", "in [0, 1)");
        require(p, p.getDouble("weightDecay", d.weightDecay()) >= 0, "weightDecay", "zero or positive");
        require(p, p.getInt("patience", d.patience()) >= 0, "patience", "zero (no early stopping) or positive");
        return new TrainingConfig(
                p.getInt("epochs", d.epochs()),
                p.getInt("batchSize", d.batchSize()),
                p.getDouble("learningRate", d.learningRate()),
                p.getChoice("updater", d.updater(), Set.of("adam", "sgd")),
                p.getDouble("momentum", d.momentum()),
                p.getDouble("weightDecay", d.weightDecay()),
                p.getLong("seed", d.seed()),
                p.getInt("patience", d.patience()))
                .withSchedule(p.getEnum("schedule", d.schedule()))
                .withAugmentation(augmentation(p));
    }

    private static Augmentation augmentation(StageParams p) {
        try {
            return Augmentation.parse(p.getString("augment", Augmentation.NONE.toString()));
        } catch (IllegalArgumentException e) {
            throw p.problem("augment", "cannot be read: " + e.getMessage());
        }
    }

    private static void require(StageParams p, boolean ok, String key, String what) {
        if (!ok) {
            throw p.problem(key, "must be " + what + ", got '" + p.asMap().get(key) + "'");
        }
    }
}
