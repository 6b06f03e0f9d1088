package dev.topiary.runtime.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics Topiary needs. Topics are the system of record (models live in them), so
 * those Topiary creates keep their records forever ({@code retention.ms=-1}) unless the user's
 * own settings say otherwise; Kafka's default of 7 days would silently delete models.
 */
public final class TopicAdmin implements AutoCloseable {
    /** Artifact chunks are up to 1 MiB plus headers. */
    private static final String MAX_MESSAGE_BYTES = String.valueOf(2 * 1024 * 1024);

    private final Admin admin;
    private final int partitions;
    private final short replication;
    private final Map<String, String> extraConfig;

    public TopicAdmin(KafkaSettings settings, int partitions, short replication, Map<String, String> extraConfig) {
        this.admin = Admin.create(settings.admin());
        this.partitions = partitions;
        this.replication = replication;
        this.extraConfig = Map.copyOf(extraConfig);
    }

    public TopicAdmin(KafkaSettings settings) {
        this(settings, 1, (short) 1, Map.of());
    }

    /** Creates those of {@code names} that do not exist yet; existing topics are left as they are. */
    public void ensure(Collection<String> names) {
        ensure(names, partitions);
    }

    public void ensure(Collection<String> names, int partitionCount) {
        ensure(names, partitionCount, replication);
    }

    public void ensure(Collection<String> names, int partitionCount, short replicationFactor) {
        create(names, partitionCount, replicationFactor, Map.of());
    }

    /**
     * Creates those of {@code names} that do not exist yet as compacted topics, whose latest record
     * per key is the state (aliases, the registry's tables); existing topics are left as they are.
     */
    public void ensureCompacted(Collection<String> names) {
        create(names, partitions, replication, Map.of("cleanup.policy", "compact"));
    }

    private void create(Collection<String> names, int partitionCount, short replicationFactor, Map<String, String> topicConfig) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String name : Set.copyOf(names)) {
                if (!existing.contains(name)) {
                    Map<String, String> config = new java.util.HashMap<>();
                    config.put("retention.ms", "-1");
                    config.put("retention.bytes", "-1");
                    config.put("max.message.bytes", MAX_MESSAGE_BYTES);
                    config.putAll(extraConfig);
                    config.putAll(topicConfig);
                    missing.add(new NewTopic(name, partitionCount, replicationFactor).configs(config));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var f : admin.createTopics(missing).values().values()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + names, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + names + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
    }
}
