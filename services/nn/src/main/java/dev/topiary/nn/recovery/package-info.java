/**
 * How every service recovers accuracy after changing a network, the same way: fine-tuning with the
 * shared trainer ({@link dev.topiary.nn.recovery.TrainerFineTuner}, optionally with layers frozen),
 * distillation from the unchanged parent ({@link dev.topiary.nn.recovery.Distillation}), and the
 * search for the largest change within an accuracy budget
 * ({@link dev.topiary.nn.recovery.AccuracyBudgetSearch}).
 */
package dev.topiary.nn.recovery;
