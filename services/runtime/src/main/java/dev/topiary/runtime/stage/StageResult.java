package dev.topiary.runtime.stage;

/**
 * What a {@link Transformation} came to: a new version to publish ({@link StageOutput}), or, when
 * the stage was asked only to look (a dry run), a report for the user and no version
 * ({@link StageReport}). Either way the runner commits the input exactly once.
 */
public sealed interface StageResult permits StageOutput, StageReport {
}
