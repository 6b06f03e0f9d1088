package dev.topiary.runtime.stage;

/**
 * A transformation's answer when it was asked only to look (e.g. a cut's {@code dryRun: true}):
 * nothing goes to the stage's output topics. The runner commits the input's offset in a
 * transaction of its own, with nothing else in it, so the input is consumed exactly once as any
 * published one; then it puts {@code summary} on the progress topic (state DONE, as the message,
 * under the job id the version would have had) and in the stage's log, where the user sees it
 * ({@code topiary watch}).
 *
 * @param summary what the stage found and would have done, in one line a user can read
 */
public record StageReport(String summary) implements StageResult {
    public StageReport {
        if (summary == null || summary.isBlank()) {
            throw new IllegalArgumentException("a stage report needs a summary");
        }
    }
}
