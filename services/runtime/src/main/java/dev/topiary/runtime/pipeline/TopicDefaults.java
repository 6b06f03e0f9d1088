package dev.topiary.runtime.pipeline;

/**
 * How the topics a pipeline names are created when they do not exist yet. Per pipeline because
 * one pipeline may need more partitions (more parallel instances) than another.
 *
 * @param partitions        partitions per topic; the ceiling on instances of one stage working at once
 * @param replicationFactor copies of each partition; 1 suits the embedded single broker
 */
public record TopicDefaults(int partitions, short replicationFactor) {
    /** One partition, one replica: what the embedded broker can host. */
    public static final TopicDefaults DEFAULT = new TopicDefaults(1, (short) 1);

    public TopicDefaults {
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replicationFactor must be at least 1");
        }
    }
}
