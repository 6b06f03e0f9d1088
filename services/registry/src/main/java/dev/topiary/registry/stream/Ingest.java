package dev.topiary.registry.stream;

import dev.topiary.events.DeadLetter;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import dev.topiary.events.RegisteredVersion;
import dev.topiary.registry.RegistryTopics;
import dev.topiary.runtime.events.UndecodableEventException;
import dev.topiary.runtime.kafka.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each record of a watched topic into the registry's record of it: a version becomes a
 * {@code RegisteredVersion} keyed by its id (so the same version seen twice is one entry); a dead
 * letter becomes a {@code DeadLetter} (its reasons, not its bytes) keyed by where it lies; a
 * heartbeat of a running job is kept under the job's id, and its DONE or FAILED one deletes it.
 * A record on a version topic that is no version is skipped: the stage reading that topic
 * dead-letters it, and the registry registers that.
 */
final class Ingest implements Processor<String, byte[], String, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    private final RegistryTopics topics;
    private ProcessorContext<String, byte[]> context;

    Ingest(RegistryTopics topics) {
        this.topics = topics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata where = context.recordMetadata().orElseThrow();
        switch (TopicRole.of(where.topic())) {
            case VERSIONS -> version(record, where);
            case DEAD_LETTERS -> deadLetter(record, where);
            case PROGRESS -> progress(record);
        }
    }

    private void version(Record<String, byte[]> record, RecordMetadata where) {
        ModelVersion v;
        try {
            v = Topics.versions(where.topic()).decode(record.value());
        } catch (UndecodableEventException e) {
            log.debug("not a version at {}/{}@{}: {}", where.topic(), where.partition(), where.offset(), e.getMessage());
            return;
        }
        RegisteredVersion entry = new RegisteredVersion(ByteBuffer.wrap(record.value()), where.topic(),
                where.partition(), where.offset());
        context.forward(new Record<>(v.getId(), topics.versions().encode(entry), record.timestamp()),
                RegistryTopology.VERSIONS_SINK);
    }

    private void deadLetter(Record<String, byte[]> record, RecordMetadata where) {
        Headers h = record.headers();
        String versionId = null;
        String lineage = null;
        try {
            // the refused record's own bytes: a version, unless the input was garbage
            ModelVersion refused = Topics.versions(sourceOf(where.topic())).decode(record.value());
            versionId = refused.getId();
            lineage = refused.getLineage();
        } catch (UndecodableEventException notAVersion) {
            // garbage is dead-lettered too; its reason says why
        }
        DeadLetter letter = new DeadLetter(where.topic(), where.partition(), where.offset(),
                header(h, "topiary.stage", ""), header(h, "topiary.error", "(no reason given)"),
                header(h, "topiary.error.class", ""),
                header(h, "topiary.source.topic", sourceOf(where.topic())),
                number(h, "topiary.source.partition").intValue(), number(h, "topiary.source.offset"),
                record.key(), record.value() == null ? 0 : record.value().length, versionId, lineage,
                Instant.ofEpochMilli(record.timestamp()));
        context.forward(new Record<>(topics.deadLetters().keyOf().apply(letter), topics.deadLetters().encode(letter), record.timestamp()),
                RegistryTopology.DEAD_LETTERS_SINK);
    }

    private void progress(Record<String, byte[]> record) {
        Progress p;
        try {
            p = Topics.PROGRESS.decode(record.value());
        } catch (UndecodableEventException e) {
            return; // progress is advisory
        }
        byte[] kept = p.getState() == ProgressState.RUNNING ? record.value() : null;
        context.forward(new Record<>(p.getJobId(), kept, record.timestamp()), RegistryTopology.PROGRESS_SINK);
    }

    private static String sourceOf(String deadLetterTopic) {
        return deadLetterTopic.substring(0, deadLetterTopic.length() - Topics.DEAD_LETTER_SUFFIX.length());
    }

    private static String header(Headers headers, String name, String otherwise) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? otherwise : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Long number(Headers headers, String name) {
        try {
            return Long.parseLong(header(headers, name, "-1").trim());
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
