package dev.topiary.runtime.kafka;

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
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds and aborts hanging transactions: a transaction left open on a partition that its
 * transaction coordinator does not count as ongoing there. A read_committed reader cannot read past
 * the first record of an open transaction, and the coordinator cannot time out a transaction it
 * believes ended (or never touched that partition), so one such transaction stalls its partition
 * for good. The chaos soak met one: a stage's artifact write landed on {@code topiary.artifacts-0}
 * as the broker shut down, the restarted coordinator had no record of it, and every artifact written
 * after it was held back until the soak gave up.
 *
 * <p>A {@link #sweep} describes the producers of every partition. An open transaction is taken as
 * hanging when it was already open, with the same producer, epoch and first offset, at an earlier
 * sweep at least {@code minAge} ago, and the coordinator, asked after that second sighting, does
 * not describe it as ongoing on that partition (asking after, not before, keeps a transaction
 * whose markers were still being written from being taken for a hanging one). It is then ended
 * with an abort marker, as Kafka's own {@code kafka-transactions.sh abort} does (KIP-664): the
 * records it holds back were never committed, so aborting them loses nothing a reader could see.
 *
 * <pre>{@code
 * HangingTransactions hanging = new HangingTransactions(admin, Duration.ofSeconds(20), System::nanoTime);
 * hanging.sweep().forEach(a -> log.warn(a.describe()));   // every few seconds
 * }</pre>
 */
public final class HangingTransactions {

    /** One transaction this sweep ended, and what the coordinator said of its producer. */
    public record Aborted(OpenTransaction transaction, Duration openFor, String coordinatorView) {
        public String describe() {
            OpenTransaction t = transaction;
            return "aborted a hanging transaction on " + t.partition() + ": producer " + t.producerId() + " (epoch "
                    + t.producerEpoch() + ") has held it open from offset " + t.startOffset() + " for "
                    + openFor.toSeconds() + " s or more, and its coordinator " + coordinatorView;
        }
    }

    /** An open transaction as a partition's leader describes it. */
    public record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch, long startOffset,
                                  int coordinatorEpoch) {
        static OpenTransaction of(TopicPartition partition, ProducerState p) {
            return new OpenTransaction(partition, p.producerId(), p.producerEpoch(),
                    p.currentTransactionStartOffset().orElseThrow(), p.coordinatorEpoch().orElse(0));
        }
    }

    private static final Set<TransactionState> UNDECIDED = Set.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);
    private static final long CALL_TIMEOUT_S = 10;

    private final Admin admin;
    private final long minAgeNanos;
    private final LongSupplier nanoTime;
    /** Each open transaction seen at the last sweep, with when it was first seen. */
    private Map<OpenTransaction, Long> firstSeen = new HashMap<>();
    /** The partitions whose producers the last sweep could not describe, with why. */
    private Map<TopicPartition, String> unreadable = Map.of();

    public HangingTransactions(Admin admin, Duration minAge, LongSupplier nanoTime) {
        this.admin = admin;
        this.minAgeNanos = minAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * One look at the cluster: aborts the transactions found hanging and returns them. A partition
     * whose leader does not answer is skipped until the next sweep.
     *
     * @throws IllegalStateException when the cluster cannot be listed or described at all
     */
    public List<Aborted> sweep() {
        Map<OpenTransaction, Long> overdue = overdue(openTransactions());
        if (overdue.isEmpty()) {
            return List.of();
        }
        Map<Long, List<TransactionDescription>> coordinator = coordinatorView(overdue.keySet());
        List<Aborted> aborted = new ArrayList<>();
        for (Map.Entry<OpenTransaction, Long> e : overdue.entrySet()) {
            OpenTransaction t = e.getKey();
            List<TransactionDescription> known = coordinator.getOrDefault(t.producerId(), List.of());
            if (!isHanging(t, known)) {
                continue;
            }
            await(admin.abortTransaction(new AbortTransactionSpec(t.partition(), t.producerId(),
                    (short) t.producerEpoch(), t.coordinatorEpoch())).all(), "abort the transaction on " + t.partition());
            firstSeen.remove(t);
            aborted.add(new Aborted(t, Duration.ofNanos(nanoTime.getAsLong() - e.getValue()), describe(known)));
        }
        return aborted;
    }

    /**
     * Keeps what was seen for the next sweep and returns the transactions open since a sweep at
     * least {@code minAge} ago, each with when it was first seen.
     */
    Map<OpenTransaction, Long> overdue(Collection<OpenTransaction> open) {
        long now = nanoTime.getAsLong();
        Map<OpenTransaction, Long> seen = new HashMap<>();
        Map<OpenTransaction, Long> overdue = new HashMap<>();
        for (OpenTransaction t : open) {
            long since = firstSeen.getOrDefault(t, now);
            seen.put(t, since);
            if (now - since >= minAgeNanos) {
                overdue.put(t, since);
            }
        }
        firstSeen = seen;
        return overdue;
    }

    /** Whether none of the coordinator's transactions of this producer is undecided on the partition. */
    static boolean isHanging(OpenTransaction t, Collection<TransactionDescription> coordinatorView) {
        return coordinatorView.stream().noneMatch(d -> d.producerId() == t.producerId()
                && UNDECIDED.contains(d.state()) && d.topicPartitions().contains(t.partition()));
    }

    /**
     * The partitions whose producers the last sweep could not describe (no leader right now, or no
     * permission to describe them), with why: a sweep does not see what they hold.
     */
    public Map<TopicPartition, String> unreadable() {
        return unreadable;
    }

    private List<OpenTransaction> openTransactions() {
        Set<String> topics = await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
        List<TopicPartition> partitions = new ArrayList<>();
        await(admin.describeTopics(topics).allTopicNames(), "describe topics").forEach((name, d) ->
                d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        DescribeProducersResult producers = admin.describeProducers(partitions);
        List<OpenTransaction> open = new ArrayList<>();
        Map<TopicPartition, String> skipped = new HashMap<>();
        for (TopicPartition tp : partitions) {
            try {
                producers.partitionResult(tp).get(CALL_TIMEOUT_S, TimeUnit.SECONDS).activeProducers().stream()
                        .filter(p -> p.currentTransactionStartOffset().isPresent())
                        .forEach(p -> open.add(OpenTransaction.of(tp, p)));
            } catch (ExecutionException e) {
                // a partition without a leader right now (a restart, a deletion), or one we may not describe: look again next time
                skipped.put(tp, e.getCause().getMessage());
            } catch (TimeoutException e) {
                skipped.put(tp, "no answer in " + CALL_TIMEOUT_S + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing producers", e);
            }
        }
        unreadable = Map.copyOf(skipped);
        return open;
    }

    /** The coordinator's transactions of each producer id, asked after the partitions were described. */
    private Map<Long, List<TransactionDescription>> coordinatorView(Collection<OpenTransaction> overdue) {
        Set<Long> producerIds = new HashSet<>();
        overdue.forEach(t -> producerIds.add(t.producerId()));
        Collection<TransactionListing> listings = await(admin.listTransactions(
                new ListTransactionsOptions().filterProducerIds(producerIds)).all(), "list transactions");
        Map<Long, List<TransactionDescription>> byProducer = new HashMap<>();
        if (listings.isEmpty()) {
            return byProducer;
        }
        List<String> ids = listings.stream().map(TransactionListing::transactionalId).toList();
        await(admin.describeTransactions(ids).all(), "describe transactions").values().forEach(d ->
                byProducer.computeIfAbsent(d.producerId(), id -> new ArrayList<>()).add(d));
        return byProducer;
    }

    private static String describe(List<TransactionDescription> known) {
        if (known.isEmpty()) {
            return "knows no transaction of that producer";
        }
        TransactionDescription d = known.get(0);
        return "has it as " + d.state() + " at epoch " + d.producerEpoch() + " on " + d.topicPartitions();
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer in " + CALL_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
