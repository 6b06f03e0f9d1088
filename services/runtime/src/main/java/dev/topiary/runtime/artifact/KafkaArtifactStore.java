package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Artifacts as chunks on a topic, written in the caller's transaction so an artifact exists
 * exactly when the event naming it does, and the whole system's state lives (and replicates) in
 * Kafka.
 *
 * <p>All chunks of one artifact share its hash as key, so they land on one partition; the uri
 * names that partition, the first chunk's offset and the chunk count:
 * {@code kafka://TOPIC/PARTITION/OFFSET?chunks=N}. Other producers may interleave records, so a
 * get reads forward from the offset pouring the chunks of the artifact that starts there (by its
 * hash header), in order, into the sink, which verifies the whole against the hash the event
 * claims. Only this store's own topic is read: a uri naming any other is outside the store.
 */
public final class KafkaArtifactStore implements ArtifactStore {
    static final int CHUNK_BYTES = 900 * 1024;
    static final String SHA_HEADER = "topiary.sha256";
    static final String CHUNK_HEADER = "topiary.chunk";
    private static final Duration GET_TIMEOUT = Duration.ofSeconds(60);
    /** How long a get waits for chunks to become readable before calling the artifact missing. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaSettings settings;
    private final String topic;
    private final long maxBytes;

    public KafkaArtifactStore(KafkaSettings settings, String topic, long maxBytes) {
        this.settings = settings;
        this.topic = topic;
        this.maxBytes = maxBytes;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public ArtifactRef store(InputStream bytes, long size, String sha, ModelFormat format,
                             Producer<String, byte[]> transaction) {
        ArtifactStore.requireWithin("artifact " + sha, size, maxBytes);
        long chunks = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
        Future<RecordMetadata> first = null;
        try {
            for (long i = 0; i < chunks; i++) {
                int length = (int) Math.min(CHUNK_BYTES, size - i * CHUNK_BYTES);
                byte[] chunk = bytes.readNBytes(length);
                if (chunk.length != length) {
                    throw new ArtifactException("artifact " + sha + " ended after " + (i * CHUNK_BYTES + chunk.length)
                            + " of " + size + " bytes");
                }
                RecordHeaders headers = new RecordHeaders();
                headers.add(SHA_HEADER, sha.getBytes(StandardCharsets.UTF_8));
                headers.add(CHUNK_HEADER, (i + "/" + chunks).getBytes(StandardCharsets.UTF_8));
                Future<RecordMetadata> sent = transaction.send(new ProducerRecord<>(topic, null, sha, chunk, headers));
                first = first == null ? sent : first;
            }
            transaction.flush();
            RecordMetadata at = first.get();
            String uri = "kafka://" + topic + "/" + at.partition() + "/" + at.offset() + "?chunks=" + chunks;
            return new ArtifactRef(uri, sha, size, format);
        } catch (IOException e) {
            throw new ArtifactException("cannot read artifact " + sha + " to store it: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted while storing artifact " + sha, e);
        } catch (ExecutionException e) {
            throw new ArtifactException("cannot store artifact " + sha + " on " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void readInto(ArtifactRef ref, ArtifactSink sink) {
        Location at = Location.parse(ref.getUri());
        if (!at.topic.equals(topic)) {
            throw new OutsideStoreException("artifact " + ref.getUri() + " is outside the store: it names topic '"
                    + at.topic + "', and artifacts are read only from '" + topic + "'");
        }
        ArtifactStore.requireWithin("artifact " + ref.getUri(), ref.getSizeBytes(), maxBytes);
        long found = 0;
        String storedSha = null;
        TopicPartition tp = new TopicPartition(at.topic, at.partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.assignedConsumer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, at.offset);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + GET_TIMEOUT.toNanos();
            long settleDeadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
            boolean heldBack = false;
            while (found < at.chunks) {
                if (System.nanoTime() > deadline) {
                    throw new ArtifactUnavailableException("artifact " + ref.getUri() + " could not be fetched in "
                            + GET_TIMEOUT.toSeconds() + " s (" + found + " of " + at.chunks + " chunks"
                            + (heldBack ? "; an earlier open transaction on " + tp + " holds them back" : "") + ")", null);
                }
                if (consumer.position(tp) >= end) {
                    // A transaction commits partition by partition: the event's partition can be
                    // readable a moment before this one's commit marker lands. Wait for it, briefly.
                    // Longer when the chunks are written but an earlier transaction on this partition
                    // is still open (a crashed writer's, until the broker aborts it): the last stable
                    // offset lags behind them, and GET_TIMEOUT makes that a retried fault, not a loss.
                    if (System.nanoTime() > settleDeadline && !heldBack) {
                        heldBack = written(tp, at);
                        if (!heldBack) {
                            throw missing(ref, at.offset >= end
                                    ? "offset " + at.offset + " is past the end of " + tp + " (" + end + ")"
                                    : "only " + found + " of " + at.chunks + " chunks found in " + tp);
                        }
                    }
                    sleep(50);
                    end = consumer.endOffsets(List.of(tp)).get(tp);
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (found == at.chunks) {
                        break;
                    }
                    if (storedSha == null) {
                        storedSha = header(r, SHA_HEADER); // the artifact stored at the uri's offset
                        if (storedSha == null || chunkIndex(r, ref) != 0) {
                            throw missing(ref, "the record at offset " + r.offset() + " is not the first chunk of an artifact");
                        }
                    }
                    if (storedSha.equals(header(r, SHA_HEADER))) {
                        long index = chunkIndex(r, ref);
                        if (index > found) {
                            throw missing(ref, "chunk " + found + " is missing (next is chunk " + index + ")");
                        }
                        if (index == found) { // a lower index is a later copy of the same bytes
                            sink.write(r.value());
                            found++;
                        }
                    }
                }
            }
        }
    }

    /** Whether the log holds records past the artifact's last chunk, committed or not (read_uncommitted). */
    private boolean written(TopicPartition tp, Location at) {
        Map<String, Object> uncommitted = settings.assignedConsumer();
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(uncommitted)) {
            return consumer.endOffsets(List.of(tp)).get(tp) >= at.offset + at.chunks;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted while fetching an artifact", e);
        }
    }

    private static long chunkIndex(ConsumerRecord<String, byte[]> r, ArtifactRef ref) {
        String value = header(r, CHUNK_HEADER);
        try {
            return Long.parseLong(value.substring(0, value.indexOf('/')));
        } catch (RuntimeException e) {
            throw new ArtifactException("artifact " + ref.getUri() + " has a chunk without a valid index header at offset " + r.offset());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static ArtifactException missing(ArtifactRef ref, String why) {
        return new ArtifactException("artifact missing: " + ref.getUri() + " (sha256 " + ref.getSha256() + "): " + why);
    }

    /** The parts of a {@code kafka://} uri. */
    record Location(String topic, int partition, long offset, long chunks) {
        static Location parse(String uri) {
            try {
                URI u = URI.create(uri);
                if (!"kafka".equals(u.getScheme())) {
                    throw new IllegalArgumentException("scheme is not kafka");
                }
                String[] path = u.getPath().split("/");
                String query = u.getQuery();
                if (path.length != 3 || query == null || !query.startsWith("chunks=")) {
                    throw new IllegalArgumentException("expected kafka://TOPIC/PARTITION/OFFSET?chunks=N");
                }
                return new Location(u.getHost() != null ? u.getHost() : u.getAuthority(),
                        Integer.parseInt(path[1]), Long.parseLong(path[2]), Long.parseLong(query.substring(7)));
            } catch (RuntimeException e) {
                throw new ArtifactException("not a kafka artifact uri: " + uri + " (" + e.getMessage() + ")", e);
            }
        }
    }
}
