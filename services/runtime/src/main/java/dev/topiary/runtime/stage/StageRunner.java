package dev.topiary.runtime.stage;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.artifact.ArtifactStore;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TransactionTimeouts;
import dev.topiary.runtime.kafka.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every service runs for each of its stages: consume, verify and load, transform,
 * evaluate, store, route, commit, exactly once.
 *
 * <p>Exactly once: a transactional producer writes the artifact, the new event (or the dead
 * letter) and the input's offset in one transaction, opened only after the work is done; consumers
 * read committed data only. A redelivered input yields the same output id, so even a duplicate
 * made outside Kafka's guarantees is recognisable downstream.
 *
 * <p>Long work: a job runs on its own thread while this thread pauses every assigned partition and
 * keeps polling, so a job longer than {@code max.poll.interval.ms} never triggers a rebalance. If a
 * job's partition is revoked, the job is cancelled and its result dropped; the new owner redoes it.
 *
 * <p>Failures are sorted by {@link FailureKind}: bad input is dead-lettered at once; a transient
 * fault leaves the input uncommitted, seeks its partition back to it and pauses that partition for
 * a backoff that doubles with each retry ({@link RetryPolicy}), then dead-letters it with the retry
 * count and the last error once the retries are spent.
 */
public final class StageRunner implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StageRunner.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final StageBinding binding;
    private final KafkaSettings settings;
    private final ArtifactStore artifacts;
    private final RecordWork work;
    private final ProgressPublisher progress;
    private final String transactionalId;
    private final ExecutorService jobs;
    private final Deque<ConsumerRecord<String, byte[]>> queue = new ArrayDeque<>();
    private final AtomicInteger assignments = new AtomicInteger();
    private final AtomicInteger processed = new AtomicInteger();
    private final RetryPolicy retryPolicy;
    /** Per partition, the input being retried there; its partition stays paused until the backoff ends. */
    private final Map<TopicPartition, Retry> retries = new HashMap<>();
    /** Commits failed in a row (a broker that does not answer); they back off but never dead-letter. */
    private int commitFailures;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private Duration producerTimeout = TransactionTimeouts.DEFAULT;
    private Job current;

    public StageRunner(StageBinding binding, Transformation transformation, KafkaSettings settings,
                       ArtifactStore artifacts, long maxArtifactBytes, String instanceId, String producerVersion,
                       ProgressPublisher progress, RetryPolicy retryPolicy) {
        this(binding, (Function<StageParams, Transformation>) params -> transformation, settings, artifacts,
                maxArtifactBytes, instanceId, producerVersion, progress, retryPolicy);
    }

    /**
     * A runner that makes the transformation for each distinct params it meets, with
     * {@code transformations} (a kind's {@code create}): a matrix stage's jobs run with their
     * combination's params. Also right for any other binding.
     */
    public static StageRunner ofKind(StageBinding binding, Function<StageParams, Transformation> transformations,
                                     KafkaSettings settings, ArtifactStore artifacts, long maxArtifactBytes,
                                     String instanceId, String producerVersion, ProgressPublisher progress,
                                     RetryPolicy retryPolicy) {
        return new StageRunner(binding, transformations, settings, artifacts, maxArtifactBytes, instanceId,
                producerVersion, progress, retryPolicy);
    }

    private StageRunner(StageBinding binding, Function<StageParams, Transformation> transformations,
                        KafkaSettings settings, ArtifactStore artifacts, long maxArtifactBytes, String instanceId,
                        String producerVersion, ProgressPublisher progress, RetryPolicy retryPolicy) {
        this.binding = binding;
        this.retryPolicy = retryPolicy;
        this.settings = settings;
        this.artifacts = artifacts;
        this.progress = progress;
        this.work = binding.fanout() instanceof Fanout.Expand expand
                ? new MatrixExpansion(binding, expand)
                : new StageWork(binding, transformations, artifacts, maxArtifactBytes,
                        new dev.topiary.events.Producer(binding.uses(), producerVersion), progress);
        this.transactionalId = binding.transactionalId(instanceId);
        this.jobs = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "job-" + binding.pipeline() + "-" + binding.stage());
            t.setDaemon(true);
            return t;
        });
    }

    /** How often partitions were assigned to this runner; a rebalance loop shows as a climbing count. */
    public int assignmentCount() {
        return assignments.get();
    }

    /** Inputs committed (published, reported by a dry run, or dead-lettered) by this runner. */
    public int processedCount() {
        return processed.get();
    }

    public StageBinding binding() {
        return binding;
    }

    @Override
    public void run() {
        consumer = new KafkaConsumer<>(settings.readCommittedConsumer(binding.groupId()));
        producer = newProducer();
        try {
            consumer.subscribe(binding.inputs(), new Rebalance());
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                        queue.add(r);
                    }
                } catch (WakeupException e) {
                    if (!running) {
                        throw e;
                    }
                    // the job finished (see startNext)
                }
                if (current != null && current.future.isDone()) {
                    finish(current);
                    current = null;
                }
                if (current == null && !queue.isEmpty()) {
                    startNext();
                }
                updatePause();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            if (current != null) {
                current.cancellation.cancel();
            }
            jobs.shutdownNow();
            closeQuietly(producer);
            closeQuietly(consumer);
        }
    }

    private void startNext() {
        ConsumerRecord<String, byte[]> record = queue.poll();
        Cancellation cancellation = new Cancellation();
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> work.process(record, cancellation), jobs);
        // wakes the poll once the outcome is in, so the result is committed now rather than when the poll times out
        outcome.whenComplete((o, e) -> consumer.wakeup());
        current = new Job(record, cancellation, outcome);
    }

    /**
     * Paused while there is work in hand, so polling keeps the membership alive without fetching
     * more; otherwise only the partitions whose retry is not yet due stay paused.
     */
    private void updatePause() {
        var assigned = consumer.assignment();
        if (current != null || !queue.isEmpty()) {
            consumer.pause(assigned);
            return;
        }
        long now = System.nanoTime();
        List<TopicPartition> waiting = new ArrayList<>();
        List<TopicPartition> ready = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            Retry r = retries.get(tp);
            (r != null && r.dueNanos - now > 0 ? waiting : ready).add(tp);
        }
        consumer.pause(waiting);
        consumer.resume(ready);
    }

    private void finish(Job job) {
        Outcome outcome;
        try {
            outcome = job.future.get();
        } catch (ExecutionException e) {
            outcome = new Outcome.DeadLetter("stage failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            outcome = new Outcome.DeadLetter("stage failed: " + e, e);
        }
        if (outcome instanceof Outcome.Abandoned || job.cancellation.isCancelled()) {
            return;
        }
        if (outcome instanceof Outcome.DeadLetter failed && retried(job.record, failed)) {
            return;
        }
        commit(job.record, outcome);
    }

    /**
     * Leaves a failed input uncommitted and schedules it again, if its kind of failure and its
     * retries so far allow; false when it is to be dead-lettered.
     */
    private boolean retried(ConsumerRecord<String, byte[]> record, Outcome.DeadLetter failed) {
        FailureKind kind = FailureKind.of(failed.error());
        int soFar = retriesOf(record);
        if (!retryPolicy.retries(kind, soFar)) {
            return false;
        }
        Duration wait = retryPolicy.backoff(soFar);
        log.warn("[{}/{}] {} failure on {}/{}@{}: {}; retry {} of {} in {} ms", binding.pipeline(), binding.stage(),
                kind.label(), record.topic(), record.partition(), record.offset(), failed.reason(), soFar + 1,
                retryPolicy.limit(kind), wait.toMillis());
        retryAt(new TopicPartition(record.topic(), record.partition()), record.offset(), soFar + 1, wait);
        return true;
    }

    private int retriesOf(ConsumerRecord<String, byte[]> record) {
        Retry r = retries.get(new TopicPartition(record.topic(), record.partition()));
        return r != null && r.offset == record.offset() ? r.count : 0;
    }

    private void commit(ConsumerRecord<String, byte[]> record, Outcome outcome) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        try {
            fitTimeout(outcome instanceof Outcome.Publish p ? p.artifact().length : 0);
            producer.beginTransaction();
            String line = outcome instanceof Outcome.Publish p ? sendVersion(p)
                    : outcome instanceof Outcome.Jobs j ? sendJobs(j)
                    : outcome instanceof Outcome.Report r ? "reported " + r.outputId() + " (no version): " + r.summary()
                    : sendDeadLetter(record, (Outcome.DeadLetter) outcome);
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(record.offset() + 1)),
                    consumer.groupMetadata());
            producer.commitTransaction();
            processed.incrementAndGet();
            retries.remove(tp);
            commitFailures = 0;
            log.info("[{}/{}] {}", binding.pipeline(), binding.stage(), line);
            if (outcome instanceof Outcome.Publish p) {
                progress.done(p.event().getId(), p.input().getId(), binding, p.job());
            } else if (outcome instanceof Outcome.Report r) {
                // after the commit, as a version's DONE: a report the commit lost is made again with it
                progress.reported(r.outputId(), r.input().getId(), binding, r.job(), r.summary());
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | InvalidProducerEpochException e) {
            // Another instance took over this transactional id or the producer is unusable: start afresh.
            log.warn("[{}/{}] producer fenced ({}); recreating it and retrying offset {} of {}",
                    binding.pipeline(), binding.stage(), e.getMessage(), record.offset(), tp);
            closeQuietly(producer);
            producer = newProducer();
            retryAfterCommitFailure(record);
        } catch (KafkaException e) {
            log.warn("[{}/{}] transaction aborted ({}); offset {} of {} will be processed again",
                    binding.pipeline(), binding.stage(), e.getMessage(), record.offset(), tp);
            abort();
            retryAfterCommitFailure(record);
        } catch (RuntimeException e) {
            // the artifact store could not store the new artifact: a failure of the job like any other
            abort();
            Outcome.DeadLetter failed = new Outcome.DeadLetter("cannot store the new artifact: " + StageWork.describe(e), e);
            if (!retried(record, failed)) {
                commit(record, failed);
            }
        }
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException abortFailed) {
            closeQuietly(producer);
            producer = newProducer();
        }
    }

    private String sendVersion(Outcome.Publish p) {
        ArtifactRef ref = artifacts.putUnlessStored(p.artifact(), p.format(), producer, p.input().getArtifact());
        ModelVersion event = p.event().setArtifact(ref).build();
        producer.send(Topics.versions(p.topic()).record(event));
        return "published " + event.getId() + " -> " + p.topic() + "  " + MetricsLine.of(event.getMetrics().getValues());
    }

    private String sendJobs(Outcome.Jobs j) {
        j.records().forEach(producer::send);
        return j.summary();
    }

    private String sendDeadLetter(ConsumerRecord<String, byte[]> record, Outcome.DeadLetter d) {
        FailureKind kind = FailureKind.of(d.error());
        int retried = retriesOf(record);
        Headers headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.STAGE, binding.pipeline() + "/" + binding.stage());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ERROR, d.reason());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ERROR_CLASS, d.error() == null ? "" : d.error().getClass().getName());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.FAILURE, kind.label());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.RETRIES, String.valueOf(retried));
        DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TOPIC, record.topic());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(record.partition()));
        DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(record.offset()));
        String dlt = Topics.deadLetterOf(record.topic());
        producer.send(Topics.deadLetters(record.topic()).record(record.key(), record.value(), headers));
        return "dead-lettered " + record.topic() + "/" + record.partition() + "@" + record.offset() + " -> " + dlt
                + " (" + kind.label() + (retried > 0 ? ", after " + retried + " retries" : "") + "): " + d.reason();
    }

    /** A commit that failed in Kafka: the input is tried again after a backoff, without using up its retries. */
    private void retryAfterCommitFailure(ConsumerRecord<String, byte[]> record) {
        retryAt(new TopicPartition(record.topic(), record.partition()), record.offset(), retriesOf(record),
                retryPolicy.backoff(commitFailures++));
    }

    /**
     * Rewinds to the failed record, dropping what was queued after it, so it is tried again in
     * order once {@code wait} has passed; its partition stays paused until then.
     */
    private void retryAt(TopicPartition tp, long offset, int count, Duration wait) {
        queue.removeIf(r -> r.topic().equals(tp.topic()) && r.partition() == tp.partition());
        if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, offset);
            consumer.pause(List.of(tp));
            retries.put(tp, new Retry(offset, count, System.nanoTime() + wait.toNanos()));
        }
    }

    /** A commit that writes a large artifact needs a longer transaction timeout, a small one the short default. */
    private void fitTimeout(long artifactBytes) {
        Duration needed = TransactionTimeouts.forArtifact(artifactBytes);
        if (!needed.equals(producerTimeout)) {
            producerTimeout = needed;
            closeQuietly(producer);
            producer = newProducer();
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(settings.transactionalProducer(transactionalId, producerTimeout));
        p.initTransactions();
        return p;
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close failed", e);
        }
    }

    private record Job(ConsumerRecord<String, byte[]> record, Cancellation cancellation, Future<Outcome> future) {}

    /** The input at {@code offset} has been retried {@code count} times; the next attempt is due at {@code dueNanos}. */
    private record Retry(long offset, int count, long dueNanos) {}

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignments.incrementAndGet();
            if (current != null || !queue.isEmpty()) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            partitions.forEach(retries::remove);
            queue.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            if (current != null && partitions.contains(new TopicPartition(current.record.topic(), current.record.partition()))) {
                log.info("[{}/{}] partition {} revoked mid-job; abandoning offset {}", binding.pipeline(),
                        binding.stage(), current.record.partition(), current.record.offset());
                current.cancellation.cancel();
            }
        }
    }
}
