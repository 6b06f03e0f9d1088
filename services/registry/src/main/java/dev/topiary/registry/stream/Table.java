package dev.topiary.registry.stream;

/** What the records of one of the registry's compacted topics do to its in-memory state. */
public interface Table {
    /**
     * A record for {@code key}.
     *
     * @param live false while loading what the store already held at start-up, true for news
     */
    void put(String key, byte[] value, boolean live);

    /** A tombstone for {@code key}. */
    void remove(String key);
}
