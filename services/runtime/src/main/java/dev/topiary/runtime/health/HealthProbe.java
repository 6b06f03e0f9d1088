package dev.topiary.runtime.health;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.stage.StageBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the cluster how a set of stages stands, from the outside, with one admin client: the
 * broker answers; each stage's consumer group has members holding every input partition; and its
 * lag, the committed input records past the group's committed offsets, counted by reading them
 * (read_committed, so aborted transactions and commit markers do not count). Not thread-safe. Lag is reported, and only fails a stage above
 * {@code maxLag}: a stage busy training has lag and is healthy.
 *
 * <pre>{@code
 * try (HealthProbe probe = new HealthProbe(settings, Duration.ofSeconds(10))) {
 *     HealthReport report = probe.check(bindings, Long.MAX_VALUE);
 * }
 * }</pre>
 */
public final class HealthProbe implements AutoCloseable {
    private final Admin admin;
    private final KafkaSettings settings;
    private final String bootstrap;
    private KafkaConsumer<String, byte[]> counter;
    private final Duration timeout;

    public HealthProbe(KafkaSettings settings, Duration timeout) {
        Map<String, Object> conf = settings.admin();
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        this.admin = Admin.create(conf);
        this.settings = settings;
        this.bootstrap = settings.bootstrap();
        this.timeout = timeout;
    }

    /** Checks the broker, then each stage; a stage whose lag exceeds {@code maxLag} is unhealthy. */
    public HealthReport check(Collection<StageBinding> stages, long maxLag) throws InterruptedException {
        int brokers;
        try {
            brokers = get(admin.describeCluster().nodes()).size();
        } catch (ExecutionException | TimeoutException e) {
            return new HealthReport(bootstrap, 0, messageOf(e), List.of());
        }
        List<StageHealth> out = new ArrayList<>();
        for (StageBinding stage : stages) {
            out.add(stage(stage, maxLag));
        }
        return new HealthReport(bootstrap, brokers, null, out);
    }

    private StageHealth stage(StageBinding b, long maxLag) throws InterruptedException {
        String group = b.groupId();
        try {
            Map<String, TopicDescription> topics = get(admin.describeTopics(b.inputs()).allTopicNames());
            Set<TopicPartition> partitions = new HashSet<>();
            topics.values().forEach(t -> t.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition()))));

            ConsumerGroupDescription description = get(admin.describeConsumerGroups(List.of(group)).all()).get(group);
            Set<TopicPartition> held = new HashSet<>();
            for (MemberDescription m : description.members()) {
                held.addAll(m.assignment().topicPartitions());
            }
            held.retainAll(partitions);

            long lag = lag(group, partitions);
            String problem = null;
            if (description.members().isEmpty()) {
                problem = "no instance running (group " + group + " has no members)";
            } else if (held.size() < partitions.size()) {
                problem = (partitions.size() - held.size()) + " input partition(s) unassigned (group "
                        + description.groupState() + ")";
            } else if (lag > maxLag) {
                problem = "lag " + lag + " above " + maxLag;
            }
            return new StageHealth(b.pipeline(), b.part(), group, description.members().size(), partitions.size(),
                    held.size(), lag, problem);
        } catch (ExecutionException | TimeoutException e) {
            String problem = e.getCause() instanceof UnknownTopicOrPartitionException
                    ? "input topic(s) " + String.join(", ", missing(b.inputs())) + " do not exist yet: has the stage ever started?"
                    : "cannot describe: " + messageOf(e);
            return new StageHealth(b.pipeline(), b.part(), group, 0, 0, 0, 0, problem);
        }
    }

    /** Those of {@code topics} the cluster does not list; all of them when it does not answer (or lists them all by now). */
    private List<String> missing(List<String> topics) throws InterruptedException {
        try {
            Set<String> there = get(admin.listTopics().names());
            List<String> missing = topics.stream().filter(t -> !there.contains(t)).toList();
            return missing.isEmpty() ? topics : missing;
        } catch (ExecutionException | TimeoutException e) {
            return topics;
        }
    }

    /** Records past the committed offset, or past the start where the group has committed nothing. */
    private long lag(String group, Set<TopicPartition> partitions)
            throws ExecutionException, TimeoutException, InterruptedException {
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartition tp : partitions) {
            latest.put(tp, OffsetSpec.latest());
            earliest.put(tp, OffsetSpec.earliest());
        }
        var ends = get(admin.listOffsets(latest, readCommitted).all());
        var starts = get(admin.listOffsets(earliest, readCommitted).all());
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> to = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long start = c != null ? c.offset() : starts.get(tp).offset();
            if (ends.get(tp).offset() > start) {
                from.put(tp, start);
                to.put(tp, ends.get(tp).offset());
            }
        }
        return from.isEmpty() ? 0 : countRecords(from, to);
    }

    /**
     * Counts the committed records between the offsets. Offsets alone would overcount: every
     * transaction's commit marker takes an offset, so one record per transaction is two offsets.
     */
    private long countRecords(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        if (counter == null) {
            Map<String, Object> conf = settings.assignedConsumer();
            conf.put(ConsumerConfig.CLIENT_ID_CONFIG, "topiary-health");
            counter = new KafkaConsumer<>(conf);
        }
        counter.assign(from.keySet());
        from.forEach(counter::seek);
        long count = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<TopicPartition> open = new HashSet<>(from.keySet());
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : counter.poll(Duration.ofMillis(200))) {
                if (r.offset() < to.get(new TopicPartition(r.topic(), r.partition()))) {
                    count++;
                }
            }
            open.removeIf(tp -> counter.position(tp) >= to.get(tp));
        }
        counter.unsubscribe();
        return count;
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future)
            throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String messageOf(Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof TimeoutException ? "no answer within " + timeout.toSeconds() + " s" : String.valueOf(t.getMessage());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        if (counter != null) {
            counter.close(Duration.ofSeconds(5));
        }
    }
}
