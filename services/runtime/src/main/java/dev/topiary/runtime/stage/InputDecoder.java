package dev.topiary.runtime.stage;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.kafka.Topics;
import java.util.List;

/**
 * Reads one record of a stage's input topic into the parent versions of the version the stage
 * makes. A plain stage reads one {@code ModelVersion} per record ({@link #VERSION}); a stage fed
 * by a gatherer reads a set of versions per record, and its binding carries the decoder of that
 * set. Throwing marks the record as bad: it goes to the dead-letter topic with the message.
 */
@FunctionalInterface
public interface InputDecoder {
    /** One model version per record: the parent is that version. */
    InputDecoder VERSION = (topic, value) -> List.of(Topics.versions(topic).decode(value));

    /**
     * One gathered {@link ModelSet} per record (what a stage with {@code gather} reads): the parents
     * are its members, and the transformation also sees the set ({@link StageInput#gathered()}).
     */
    InputDecoder MODEL_SET = new InputDecoder() {
        @Override
        public List<ModelVersion> parents(String topic, byte[] value) {
            return gathered(topic, value).getMembers();
        }

        @Override
        public ModelSet gathered(String topic, byte[] value) {
            return Topics.modelSets(topic).decode(value);
        }
    };

    /** The parents, in any order (the runner sorts them by id); at least one. */
    List<ModelVersion> parents(String topic, byte[] value);

    /** The set the record is, for a stage behind a gatherer; null for any other input. */
    default ModelSet gathered(String topic, byte[] value) {
        return null;
    }
}
