package dev.topiary.registry.stream;

import dev.topiary.events.RegisteredVersion;
import dev.topiary.registry.state.RegistryState;
import dev.topiary.registry.state.VersionEntry;
import dev.topiary.registry.RegistryTopics;
import dev.topiary.runtime.kafka.Topics;
import java.nio.ByteBuffer;

/** Decodes the registry's compacted topics into {@link RegistryState}: one {@link Table} per topic. */
final class StateTables {
    private StateTables() {}

    static Table versions(RegistryTopics topics, RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                RegisteredVersion r = topics.versions().decode(value);
                ByteBuffer event = r.getEvent();
                byte[] bytes = new byte[event.remaining()];
                event.get(bytes);
                state.putVersion(new VersionEntry(Topics.MODEL_VERSIONS.deserializer().deserialize(r.getTopic(), bytes), r.getTopic(), r.getPartition(),
                        r.getOffset()), live);
            }

            @Override
            public void remove(String key) {
                // versions are never deleted: the registry is the history
            }
        };
    }

    static Table deadLetters(RegistryTopics topics, RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                state.putDeadLetter(key, topics.deadLetters().decode(value), live);
            }

            @Override
            public void remove(String key) {}
        };
    }

    static Table progress(RegistryTopics topics, RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                state.putProgress(key, topics.progress().decode(value), live);
            }

            @Override
            public void remove(String key) {
                state.removeProgress(key);
            }
        };
    }

    static Table aliases(RegistryTopics topics, RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                state.putAlias(topics.aliases().decode(value), live);
            }

            @Override
            public void remove(String key) {
                state.removeAlias(key);
            }
        };
    }
}
