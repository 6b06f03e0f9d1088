package dev.topiary.nn.recovery;

import dev.topiary.runtime.stage.StageParams;

/**
 * The fine-tuning settings that every reshaping stage reads from its parameters, with one set of
 * defaults and bounds, so prune, cut and grow accept the same values and say the same thing about a
 * wrong one. Epochs and distillation stay with each stage: their defaults and the rules tying them
 * to the stage's method differ.
 */
public final class FineTuneParams {
    public static final String LEARNING_RATE = "finetuneLearningRate";
    public static final String WEIGHT_DECAY = "finetuneWeightDecay";

    private FineTuneParams() {}

    /** {@code finetuneLearningRate}: default 1e-3, a positive number below 10. */
    public static double learningRate(StageParams p) {
        double lr = p.getDouble(LEARNING_RATE, 1e-3);
        if (!(lr > 0 && lr < 10)) {
            throw p.bad(LEARNING_RATE, "a positive number below 10", p.asMap().get(LEARNING_RATE));
        }
        return lr;
    }

    /** {@code finetuneWeightDecay}: default 0.01 (the trainer's), zero or a positive number below 1. */
    public static double weightDecay(StageParams p) {
        double weightDecay = p.getDouble(WEIGHT_DECAY, 0.01);
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw p.bad(WEIGHT_DECAY, "zero or a positive number below 1", p.asMap().get(WEIGHT_DECAY));
        }
        return weightDecay;
    }
}
