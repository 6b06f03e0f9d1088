package dev.topiary.registry.stream;

import dev.topiary.events.RegisteredVersion;
import dev.topiary.registry.state.RegistryState;
import dev.topiary.registry.state.VersionEntry;
import dev.topiary.runtime.events.Events;
import java.nio.ByteBuffer;

/** Decodes the registry's compacted topics into {@link RegistryState}: one {@link Table} per topic. */
final class StateTables {
    private StateTables() {}

    static Table versions(RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                RegisteredVersion r = Events.REGISTERED_VERSION.decode(value);
                ByteBuffer event = r.getEvent();
                byte[] bytes = new byte[event.remaining()];
                event.get(bytes);
                state.putVersion(new VersionEntry(Events.MODEL_VERSION.decode(bytes), r.getTopic(), r.getPartition(),
                        r.getOffset()), live);
            }

            @Override
            public void remove(String key) {
                // versions are never deleted: the registry is the history
            }
        };
    }

    static Table deadLetters(RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                state.putDeadLetter(key, Events.DEAD_LETTER.decode(value), live);
            }

            @Override
            public void remove(String key) {}
        };
    }

    static Table progress(RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                state.putProgress(key, Events.PROGRESS.decode(value), live);
            }

            @Override
            public void remove(String key) {
                state.removeProgress(key);
            }
        };
    }

    static Table aliases(RegistryState state) {
        return new Table() {
            @Override
            public void put(String key, byte[] value, boolean live) {
                state.putAlias(Events.ALIAS.decode(value), live);
            }

            @Override
            public void remove(String key) {
                state.removeAlias(key);
            }
        };
    }
}
