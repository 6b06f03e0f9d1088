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
 * <p>A look describes the producers of every partition. An open transaction is taken as hanging
 * when it was already open, with the same producer, epoch and first offset, at an earlier look at
 * least {@code minAge} ago, and the coordinator, asked after that second sighting, does not
 * describe it as ongoing on that partition (asking after, not before, keeps a transaction whose
 * markers were still being written from being taken for a hanging one). It is then ended with an
 * abort marker, as Kafka's own {@code kafka-transactions.sh abort} does (KIP-664): the records it
 * holds back were never committed, so aborting them loses nothing a reader could see.
 *
 * <p>A transaction whose producer the coordinator does not know at all is hanging for the embedded
 * broker's own admin, which may ask about every transactional id ({@link Unknown#HANGING}); for a
 * client that may not ({@link Unknown#UNSURE}) it stays open and is reported apart, because Kafka
 * leaves the transactional ids a client may not describe out of its answer without a word, so a
 * live transaction would look just the same.
 *
 * <pre>{@code
 * HangingTransactions hanging = new HangingTransactions(admin, Duration.ofSeconds(20), Unknown.HANGING);
 * hanging.sweep().forEach(h -> log.warn("aborted " + h.describe()));   // every few seconds
 * }</pre>
 */
public final class HangingTransactions {

    /** What a transaction whose producer the coordinator does not know at all is taken for. */
    public enum Unknown {
        /** Hanging: the client may ask about every transactional id, so the coordinator's silence is its answer. */
        HANGING,
        /** Unsure: left open and reported in {@link #unsure()}, since the client may not be told of every transactional id. */
        UNSURE
    }

    /** A transaction taken for hanging, and what the coordinator said of its producer. */
    public record Hanging(OpenTransaction transaction, Duration openFor, String coordinatorView) {
        /** "a hanging transaction on t-0: producer 4 (epoch 3) has held it open ...". */
        public String describe() {
            OpenTransaction t = transaction;
            return "a hanging transaction on " + t.partition() + ": producer " + t.producerId() + " (epoch "
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
    private final Unknown unknown;
    /** Each open transaction seen at the last look, with when it was first seen (System.nanoTime). */
    private Map<OpenTransaction, Long> firstSeen = new HashMap<>();
    /** The partitions the last look or sweep could not deal with, with why. */
    private Map<TopicPartition, String> missed = Map.of();
    /** The overdue transactions of producers the coordinator did not know, at the last look, when unsure of them. */
    private List<Hanging> unsure = List.of();

    public HangingTransactions(Admin admin, Duration minAge, Unknown unknown) {
        this.admin = admin;
        this.minAgeNanos = minAge.toNanos();
        this.unknown = unknown;
    }

    /**
     * One look at the cluster, aborting the transactions found hanging; returns those it aborted.
     * A partition it could not describe, or whose abort failed, is left for the next sweep and named
     * in {@link #missed()}.
     *
     * @throws IllegalStateException when the cluster cannot be listed or described at all
     */
    public List<Hanging> sweep() {
        List<Hanging> found = find();
        Map<TopicPartition, String> failed = new HashMap<>(missed);
        List<Hanging> aborted = new ArrayList<>();
        for (Hanging h : found) {
            OpenTransaction t = h.transaction();
            try {
                await(admin.abortTransaction(new AbortTransactionSpec(t.partition(), t.producerId(),
                        (short) t.producerEpoch(), t.coordinatorEpoch())).all(), "abort the transaction on " + t.partition());
                firstSeen.remove(t);
                aborted.add(h);
            } catch (IllegalStateException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e; // stopping, not a failed abort
                }
                failed.put(t.partition(), e.getMessage());
            }
        }
        missed = Map.copyOf(failed);
        return aborted;
    }

    /** One look at the cluster: the transactions hanging now, none of them aborted (a dry run of {@link #sweep}). */
    public List<Hanging> find() {
        Map<OpenTransaction, Duration> overdue = overdue(openTransactions());
        unsure = List.of();
        if (overdue.isEmpty()) {
            return List.of();
        }
        Map<Long, List<TransactionDescription>> coordinator = coordinatorView(overdue.keySet());
        List<Hanging> hanging = new ArrayList<>();
        List<Hanging> notSure = new ArrayList<>();
        overdue.forEach((t, openFor) -> {
            List<TransactionDescription> known = coordinator.getOrDefault(t.producerId(), List.of());
            if (!isHanging(t, known)) {
                return;
            }
            (known.isEmpty() && unknown == Unknown.UNSURE ? notSure : hanging).add(new Hanging(t, openFor, describe(known)));
        });
        unsure = List.copyOf(notSure);
        return hanging;
    }

    /**
     * The transactions the last look found open for {@code minAge} whose producer the coordinator
     * did not know, left open when unsure of them ({@link Unknown#UNSURE}): hanging, or live but
     * hidden from this client.
     */
    public List<Hanging> unsure() {
        return unsure;
    }

    /**
     * The partitions the last look or sweep could not deal with (no leader right now, no permission
     * to describe their producers, an abort that failed), with why: what they hold was not seen or
     * is still open.
     */
    public Map<TopicPartition, String> missed() {
        return missed;
    }

    /**
     * What the last look or sweep left undone, or null when nothing: the partitions it could not
     * deal with and the transactions it was unsure of.
     */
    public String leftUndone() {
        List<String> parts = new ArrayList<>();
        if (!missed.isEmpty()) {
            parts.add("could not deal with " + missed.size() + " partition(s) ("
                    + firstThree(missed.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList(), ", ") + ")");
        }
        if (!unsure.isEmpty()) {
            // no ages, in a fixed order: a watch says a trouble again only when it changes
            parts.add("left open " + unsure.size() + " transaction(s) whose producer no coordinator it may ask knows ("
                    + firstThree(unsure.stream().map(h -> h.transaction().partition() + ", producer " + h.transaction().producerId())
                            .toList(), "; ")
                    + "): hanging, or live and hidden from this client; with Describe on every transactional id it can tell");
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /**
     * The first three of {@code items} in sorted order, joined by {@code separator}, and "..." when
     * there are more: how a message about a sweep names what it counts, the same way each time.
     */
    public static String firstThree(Collection<String> items, String separator) {
        List<String> sorted = items.stream().sorted().toList();
        String shown = String.join(separator, sorted.subList(0, Math.min(3, sorted.size())));
        return sorted.size() > 3 ? shown + separator + "..." : shown;
    }

    /**
     * Keeps what was seen for the next look and returns the transactions open since a look at
     * least {@code minAge} ago, each with how long.
     */
    Map<OpenTransaction, Duration> overdue(Collection<OpenTransaction> open) {
        long now = System.nanoTime();
        Map<OpenTransaction, Long> seen = new HashMap<>();
        // a partition that could not be described this time keeps its transactions' first sightings
        firstSeen.forEach((t, since) -> {
            if (missed.containsKey(t.partition())) {
                seen.put(t, since);
            }
        });
        Map<OpenTransaction, Duration> overdue = new HashMap<>();
        for (OpenTransaction t : open) {
            long since = firstSeen.getOrDefault(t, now);
            seen.put(t, since);
            if (now - since >= minAgeNanos) {
                overdue.put(t, Duration.ofNanos(now - since));
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

    /** Every open transaction; notes in {@link #missed} the partitions not described. */
    private List<OpenTransaction> openTransactions() {
        Set<String> topics = await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
        List<TopicPartition> partitions = new ArrayList<>();
        await(admin.describeTopics(topics).allTopicNames(), "describe topics").forEach((name, d) ->
                d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        DescribeProducersResult producers = admin.describeProducers(partitions);
        List<OpenTransaction> open = new ArrayList<>();
        Map<TopicPartition, String> skipped = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_TIMEOUT_S); // one wait for them all
        for (TopicPartition tp : partitions) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                producers.partitionResult(tp).get(left, TimeUnit.NANOSECONDS).activeProducers().stream()
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
        missed = Map.copyOf(skipped);
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
