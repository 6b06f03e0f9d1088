package dev.topiary.runtime.health;

/**
 * How one stage stands: how many instances are in its consumer group, how many of its input
 * partitions they hold, and how many committed input records wait (its lag).
 *
 * @param members consumers in the stage's group (one per running instance)
 * @param partitions partitions of the stage's input topics
 * @param assigned input partitions some member holds
 * @param lag committed input records not yet committed by the stage, over all its partitions
 * @param problem why the stage is unhealthy, or null when it is healthy
 */
public record StageHealth(String pipeline, String stage, String group, int members, int partitions, int assigned,
                          long lag, String problem) {

    public boolean healthy() {
        return problem == null;
    }

    /** {@code pipeline/stage}. */
    public String name() {
        return pipeline + "/" + stage;
    }
}
