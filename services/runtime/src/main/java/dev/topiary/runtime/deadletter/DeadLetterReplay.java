package dev.topiary.runtime.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;

/**
 * Republishes dead letters to the topics they were refused on, once their cause is fixed, exactly
 * once. Each republished record is the original key and value with the original headers (those
 * the stage runner added are dropped) plus {@code topiary.replay.of}, naming the dead letter.
 *
 * <p>What was replayed is recorded on the compacted {@link Topics#REPLAYS} topic, keyed by the
 * dead letter's {@code TOPIC/PARTITION/OFFSET}, in the same transaction as the republished
 * records: either both are written or neither. A replay of a dead-letter topic always uses the
 * same transactional id, and reads the record of past replays only after {@code initTransactions},
 * which fences and completes any earlier or concurrent replay of that topic; so a dead letter is
 * republished once however often, and from however many terminals, the replay is run.
 */
public final class DeadLetterReplay {
    public static final String REPLAY_OF_HEADER = "topiary.replay.of";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaSettings settings;

    public DeadLetterReplay(KafkaSettings settings) {
        this.settings = settings;
    }

    /** A dead letter, whether it was replayed already, and where to (null if not). */
    public record Listed(DeadLetter letter, Replayed replayed) {}

    /** Where a dead letter was republished, and when (ISO-8601). */
    public record Replayed(String to, int partition, long offset, String at) {}

    /** Every dead letter on {@code deadLetterTopic}, oldest first, with its replay if any. */
    public List<Listed> list(String deadLetterTopic) {
        requireTopic(deadLetterTopic);
        Map<String, Replayed> replays = replays(deadLetterTopic);
        List<Listed> out = new ArrayList<>();
        for (DeadLetter d : read(deadLetterTopic)) {
            out.add(new Listed(d, replays.get(d.id())));
        }
        return out;
    }

    /**
     * Republishes the dead letters that {@code which} selects and that were never replayed; with
     * {@code dryRun} only says which they would be. Returns them.
     */
    public List<DeadLetter> replay(String deadLetterTopic, Predicate<DeadLetter> which, boolean dryRun) {
        requireTopic(deadLetterTopic);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                settings.transactionalProducer("topiary-replay-" + deadLetterTopic))) {
            producer.initTransactions(); // from here on no other replay of this topic can commit
            Map<String, Replayed> replays = replays(deadLetterTopic);
            List<DeadLetter> chosen = new ArrayList<>();
            for (DeadLetter d : read(deadLetterTopic)) {
                if (!replays.containsKey(d.id()) && d.sourceTopic() != null && which.test(d)) {
                    chosen.add(d);
                }
            }
            if (dryRun || chosen.isEmpty()) {
                return chosen;
            }
            producer.beginTransaction();
            try {
                List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
                for (DeadLetter d : chosen) {
                    Headers headers = d.originalHeaders();
                    headers.add(REPLAY_OF_HEADER, d.id().getBytes(StandardCharsets.UTF_8));
                    sent.add(producer.send(new ProducerRecord<>(d.sourceTopic(), null, d.key(), d.value(), headers)));
                }
                String now = Instant.now().toString();
                for (int i = 0; i < chosen.size(); i++) {
                    RecordMetadata m = sent.get(i).get();
                    Replayed r = new Replayed(m.topic(), m.partition(), m.offset(), now);
                    producer.send(Topics.REPLAYS.record(chosen.get(i).id(), JSON.writeValueAsBytes(r), null));
                }
                producer.commitTransaction();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                producer.abortTransaction();
                throw new IllegalStateException("interrupted while replaying " + deadLetterTopic, e);
            } catch (ExecutionException | JsonProcessingException | KafkaException e) {
                abortQuietly(producer);
                throw new IllegalStateException("replay of " + deadLetterTopic + " failed, nothing was republished: "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
            }
            return chosen;
        }
    }

    private static void abortQuietly(KafkaProducer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // a fenced producer cannot abort; its transaction is aborted by the one that fenced it
        }
    }

    private List<DeadLetter> read(String topic) {
        try (TopicReader reader = new TopicReader(settings)) {
            return reader.readAll(topic).stream().map(DeadLetter::of).toList();
        }
    }

    /** The replays recorded for dead letters of {@code deadLetterTopic}, by dead-letter id. */
    private Map<String, Replayed> replays(String deadLetterTopic) {
        try (TopicAdmin admin = new TopicAdmin(settings, 1, (short) 1, Map.of("cleanup.policy", "compact"))) {
            admin.ensure(List.of(Topics.REPLAYS.name()));
        }
        Map<String, Replayed> out = new HashMap<>();
        String prefix = deadLetterTopic + "/";
        try (TopicReader reader = new TopicReader(settings)) {
            for (ConsumerRecord<String, byte[]> r : reader.readAll(Topics.REPLAYS.name())) {
                if (r.key() != null && r.key().startsWith(prefix) && r.value() != null) {
                    try {
                        out.put(r.key(), JSON.readValue(r.value(), Replayed.class));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("unreadable record " + r.key() + " on " + Topics.REPLAYS.name() + ": " + e, e);
                    }
                }
            }
        }
        return out;
    }

    private void requireTopic(String topic) {
        try (TopicAdmin admin = new TopicAdmin(settings)) {
            if (!admin.admin().listTopics().names().get().contains(topic)) {
                throw new IllegalArgumentException("no topic " + topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
