package dev.topiary.registry.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers computed from the versions, kept until the versions change: each entry remembers the
 * registry's change count it was computed at and is recomputed once that count moves. Bounded,
 * least recently used out first.
 */
final class DerivedCache {
    private record Entry(long stamp, Map<String, Object> answer) {}

    private final LongSupplier changes;
    private final Map<String, Entry> entries;

    DerivedCache(LongSupplier changes, int capacity) {
        this.changes = changes;
        this.entries = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    Map<String, Object> get(String key, Supplier<Map<String, Object>> compute) {
        long now = changes.getAsLong();
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e != null && e.stamp() == now) {
                return e.answer();
            }
        }
        Map<String, Object> answer = compute.get(); // outside the lock: a slow one never blocks the others
        synchronized (entries) {
            entries.put(key, new Entry(now, answer));
        }
        return answer;
    }
}
