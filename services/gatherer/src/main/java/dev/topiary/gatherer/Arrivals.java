package dev.topiary.gatherer;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.stage.DeadLetterHeaders;
import dev.topiary.runtime.stage.MatrixJob;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gatherer's first step: keys each arriving record by what its set shares ({@code gather.by}).
 * A version on a {@code from} topic is a member; a dead-lettered matrix job upstream is a member
 * that will never arrive (keyed by what its version would have shared: its input's ids, lineage
 * and labels, as the stage runner would have derived them). Where each came from goes along in
 * headers, so a refused member can be dead-lettered to its own topic after the repartition. A
 * record that is not a version, or has no key, is dead-lettered here.
 */
final class Arrivals implements Processor<String, byte[], String, Routed> {
    private static final Logger log = LoggerFactory.getLogger(Arrivals.class);

    private final GatherSpec spec;
    private ProcessorContext<String, Routed> context;

    Arrivals(GatherSpec spec) {
        this.spec = spec;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata at = context.recordMetadata().orElseThrow();
        if (spec.failedJobTopics().contains(at.topic())) {
            failedJob(record, at);
            return;
        }
        ModelVersion member;
        String key;
        try {
            member = Topics.versions(at.topic()).decode(record.value());
            key = spec.gather().by().keyOf(member);
        } catch (RuntimeException e) {
            refuse(record, at, "cannot gather this record: " + e.getMessage());
            return;
        }
        RecordHeaders h = origin(record, at);
        GatherHeaders.put(h, GatherHeaders.ARRIVAL, GatherHeaders.MEMBER);
        context.forward(new Record<>(key, new Routed(null, record.value()), record.timestamp(), h));
    }

    /** A matrix job's dead letter: its key is the id its version would have had, its value the job's input. */
    private void failedJob(Record<String, byte[]> record, RecordMetadata at) {
        if (!MatrixJob.isJob(record.headers())) {
            return; // a dead letter of the expansion (bad input), not of a job: no member was ever expected from it
        }
        String key;
        try {
            List<ModelVersion> parents = parentsOf(at.topic(), record.value());
            ModelVersion first = parents.get(0);
            Map<String, String> labels = new HashMap<>();
            for (int i = parents.size() - 1; i >= 0; i--) {
                labels.putAll(parents.get(i).getLabels()); // the first parent's win, as in the stage runner
            }
            key = spec.gather().by().keyOf(parents.stream().map(ModelVersion::getId).toList(), first.getLineage(), labels,
                    record.key());
        } catch (RuntimeException e) {
            log.warn("[{}] a failed matrix job at {}/{}@{} cannot be counted against a set: {}", spec.label(), at.topic(),
                    at.partition(), at.offset(), e.getMessage());
            return;
        }
        RecordHeaders h = origin(record, at);
        GatherHeaders.put(h, GatherHeaders.ARRIVAL, GatherHeaders.FAILURE);
        GatherHeaders.put(h, GatherHeaders.FAILED_ID, record.key());
        String reason = GatherHeaders.get(record.headers(), DeadLetterHeaders.ERROR);
        GatherHeaders.put(h, GatherHeaders.FAILED_REASON, reason == null ? "dead-lettered" : reason);
        context.forward(new Record<>(key, new Routed(null, new byte[0]), record.timestamp(), h));
    }

    /** A job's input is a version, or a set for a matrix behind a gatherer; sorted by id like the runner's. */
    private static List<ModelVersion> parentsOf(String topic, byte[] value) {
        List<ModelVersion> parents;
        try {
            parents = List.of(Topics.versions(topic).decode(value));
        } catch (RuntimeException notAVersion) {
            ModelSet set = Topics.modelSets(topic).decode(value);
            parents = set.getMembers();
        }
        return parents.stream().sorted(java.util.Comparator.comparing(ModelVersion::getId)).toList();
    }

    private static RecordHeaders origin(Record<String, byte[]> record, RecordMetadata at) {
        RecordHeaders h = new RecordHeaders();
        GatherHeaders.put(h, DeadLetterHeaders.SOURCE_TOPIC, at.topic());
        GatherHeaders.put(h, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(at.partition()));
        GatherHeaders.put(h, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(at.offset()));
        if (record.key() != null) {
            GatherHeaders.put(h, GatherHeaders.SOURCE_KEY, record.key());
        }
        return h;
    }

    private void refuse(Record<String, byte[]> record, RecordMetadata at, String reason) {
        log.warn("[{}] dead-lettered {}/{}@{}: {}", spec.label(), at.topic(), at.partition(), at.offset(), reason);
        RecordHeaders h = GatherHeaders.deadLetter(spec.label(), reason, at.topic(), at.partition(), at.offset());
        record.headers().forEach(original -> {
            if (h.lastHeader(original.key()) == null) {
                h.add(original);
            }
        });
        context.forward(new Record<>(record.key(), new Routed(Topics.deadLetterOf(at.topic()), record.value()),
                record.timestamp(), h));
    }
}
