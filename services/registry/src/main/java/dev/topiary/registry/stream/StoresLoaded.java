package dev.topiary.registry.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when every global store has loaded its contents into memory. By name, not by count: Kafka
 * Streams may initialise a global store's processor again (after an error, or in the test driver).
 */
public final class StoresLoaded {
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();

    synchronized void loaded(String store) {
        loaded.add(store);
        notifyAll();
    }

    public boolean all() {
        return loaded.size() == RegistryTopology.STORES;
    }

    /** Waits until {@link #all}; false if the time ran out first. */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!all()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
