package dev.topiary.nn.model;

/**
 * The bounds a model zip must stay within before any of it is inflated into memory, so a small
 * artifact cannot expand into gigabytes (a zip bomb) or hide many entries. Defaults fit the
 * largest models Topiary expects with room to spare; a service with bigger models raises
 * {@code maxTotalBytes} explicitly.
 *
 * @param maxEntries most entries a zip may have (DL4J writes at most five)
 * @param maxTotalBytes most bytes all entries may inflate to, together
 * @param maxCompressionRatio most an entry may inflate relative to its compressed bytes
 * @param ratioExemptBytes entries that inflate to less than this are not ratio-checked. Legitimate
 *     entries can compress as well as DEFLATE allows (about 1000:1): the updater state of a network
 *     that was never trained is all zeros. So the ratio only guards entries too large to be
 *     harmless, and the total bound is what caps memory.
 */
public record ModelZipLimits(int maxEntries, long maxTotalBytes, int maxCompressionRatio, long ratioExemptBytes) {

    public static final ModelZipLimits DEFAULT = new ModelZipLimits(64, 2L << 30, 200, 256L << 20);

    public ModelZipLimits {
        if (maxEntries <= 0 || maxTotalBytes <= 0 || maxCompressionRatio <= 0 || ratioExemptBytes < 0) {
            throw new IllegalArgumentException("Model zip limits must be positive: " + maxEntries + ", "
                    + maxTotalBytes + ", " + maxCompressionRatio + ", " + ratioExemptBytes);
        }
    }

    public ModelZipLimits withMaxTotalBytes(long bytes) {
        return new ModelZipLimits(maxEntries, bytes, maxCompressionRatio, ratioExemptBytes);
    }

    public ModelZipLimits withMaxEntries(int entries) {
        return new ModelZipLimits(entries, maxTotalBytes, maxCompressionRatio, ratioExemptBytes);
    }

    public ModelZipLimits withMaxCompressionRatio(int ratio) {
        return new ModelZipLimits(maxEntries, maxTotalBytes, ratio, ratioExemptBytes);
    }
}
