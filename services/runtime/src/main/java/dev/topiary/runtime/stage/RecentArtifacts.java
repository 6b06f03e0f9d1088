package dev.topiary.runtime.stage;

import dev.topiary.events.ArtifactRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The last few artifacts a runner fetched and verified, by SHA-256: the jobs of one input's matrix
 * all read the same parent, and fetching it again for each would cost a round of reads per job.
 * Content addressing makes this safe (the same hash is the same bytes, already verified); each
 * caller gets its own copy, so a transformation that writes into its input cannot change another's.
 */
final class RecentArtifacts {
    private static final int MAX_ENTRIES = 8;
    private static final long MAX_BYTES = 64L << 20;

    private final Map<String, byte[]> recent = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** The artifact's bytes, from here when they were fetched lately, else from {@code fetch} (which verifies). */
    synchronized byte[] get(ArtifactRef ref, Function<ArtifactRef, byte[]> fetch) {
        byte[] kept = recent.get(ref.getSha256());
        if (kept == null) {
            kept = fetch.apply(ref);
            if (kept.length <= MAX_BYTES) {
                recent.put(ref.getSha256(), kept);
                bytes += kept.length;
                evict();
            }
        }
        return kept.clone();
    }

    private void evict() {
        var oldest = recent.entrySet().iterator();
        while ((recent.size() > MAX_ENTRIES || bytes > MAX_BYTES) && oldest.hasNext()) {
            bytes -= oldest.next().getValue().length;
            oldest.remove();
        }
    }
}
