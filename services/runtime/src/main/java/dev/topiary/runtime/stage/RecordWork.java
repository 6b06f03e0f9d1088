package dev.topiary.runtime.stage;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a runner does with one input record off its poll thread, before anything is written. */
interface RecordWork {
    /** Never throws: every failure is an {@link Outcome.DeadLetter} saying what was wrong. */
    Outcome process(ConsumerRecord<String, byte[]> record, Cancellation cancellation);
}
