package dev.topiary.nn.model;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Inflates a model zip entry by entry while enforcing {@link ModelZipLimits}, so nothing
 * downstream ever handles bytes that were not counted. Limits are checked on the bytes as they
 * inflate, not on the sizes the zip declares (which an attacker writes), and the compression
 * ratio is measured against the compressed bytes actually consumed, so a bomb is stopped after at
 * most {@code ratioExemptBytes} plus one buffer. Only the entry names DL4J's ModelSerializer writes
 * are accepted.
 *
 * <p>The two arrays (parameters and updater state, nearly all of a model's bytes) are not kept:
 * their ND4J headers are checked against the bytes that follow them as they stream past
 * ({@link Nd4jArrayCheck}), and {@link SafeModelLoader} reads them a second time straight into
 * native memory. So vetting a model costs no heap beyond its small entries.
 */
final class ModelZipScanner {

    static final Set<String> KNOWN_ENTRIES = Set.of(
            ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN,
            ModelSerializer.UPDATER_BIN,
            ModelSerializer.NO_PARAMS_MARKER,
            ModelSerializer.NORMALIZER_BIN,
            ModelSerializer.PREPROCESSOR_BIN);

    /** Checked as they stream past, never held. */
    static final Set<String> ARRAY_ENTRIES = Set.of(ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.UPDATER_BIN);

    // Java arrays stop a little short of Integer.MAX_VALUE; DL4J holds every entry in one byte[].
    private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 16;

    private ModelZipScanner() {}

    /**
     * What a vetted zip holds.
     *
     * @param kept the small entries' bytes, by name
     * @param arrays the array entries' inflated sizes, by name
     */
    record Scan(Map<String, byte[]> kept, Map<String, Long> arrays) {
        Set<String> names() {
            Set<String> all = new LinkedHashSet<>(kept.keySet());
            all.addAll(arrays.keySet());
            return all;
        }

        boolean has(String name) {
            return kept.containsKey(name) || arrays.containsKey(name);
        }
    }

    static Scan scan(byte[] zip, ModelZipLimits limits) {
        if (zip == null || zip.length < 4 || zip[0] != 'P' || zip[1] != 'K' || zip[2] != 3 || zip[3] != 4) {
            throw new ModelLoadException("Not a DL4J model: the artifact is not a zip file ("
                    + (zip == null ? "null" : zip.length + " bytes") + ")");
        }
        CountingInputStream counted = new CountingInputStream(new ByteArrayInputStream(zip));
        Map<String, byte[]> kept = new LinkedHashMap<>();
        Map<String, Long> arrays = new LinkedHashMap<>();
        long[] total = {0};
        try (ZipInputStream in = new ZipInputStream(counted)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                if (kept.size() + arrays.size() + 1 > limits.maxEntries()) {
                    throw new UnsafeModelException("Model zip has more than " + limits.maxEntries()
                            + " entries (limit maxEntries)");
                }
                if (!KNOWN_ENTRIES.contains(name)) {
                    throw new UnsafeModelException("Model zip has an unknown entry '" + name
                            + "': only " + String.join(", ", KNOWN_ENTRIES.stream().sorted().toList()) + " are allowed");
                }
                if (kept.containsKey(name) || arrays.containsKey(name)) {
                    throw new UnsafeModelException("Model zip has entry '" + name + "' twice");
                }
                LimitedEntry limited = new LimitedEntry(in, name, counted, total, limits);
                if (ARRAY_ENTRIES.contains(name)) {
                    Nd4jArrayCheck.check(name, limited);
                    arrays.put(name, limited.size);
                } else {
                    kept.put(name, limited.readAllBytes());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipInputStream reports bad CRCs, truncation and malformed headers as these
            throw new ModelLoadException("Corrupt model zip after " + (kept.size() + arrays.size()) + " good entries "
                    + new Scan(kept, arrays).names() + ": " + e.getMessage(), e);
        }
        if (kept.isEmpty() && arrays.isEmpty()) {
            throw new ModelLoadException("Not a DL4J model: the zip has no entries");
        }
        return new Scan(kept, arrays);
    }

    /** One entry's inflated bytes, refused at the first byte over a limit. */
    private static final class LimitedEntry extends InputStream {
        private final InputStream in;
        private final String name;
        private final CountingInputStream compressed;
        private final long compressedStart;
        private final long[] total;
        private final ModelZipLimits limits;
        long size;

        LimitedEntry(InputStream in, String name, CountingInputStream compressed, long[] total, ModelZipLimits limits) {
            this.in = in;
            this.name = name;
            this.compressed = compressed;
            this.compressedStart = compressed.count;
            this.total = total;
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            size += n;
            total[0] += n;
            if (total[0] > limits.maxTotalBytes()) {
                throw new UnsafeModelException("Model zip inflates to more than " + limits.maxTotalBytes()
                        + " bytes (limit maxTotalBytes), reached in entry '" + name + "'");
            }
            if (size > MAX_ENTRY_BYTES) {
                throw new UnsafeModelException("Model zip entry '" + name + "' inflates to more than "
                        + MAX_ENTRY_BYTES + " bytes");
            }
            long consumed = Math.max(1, compressed.count - compressedStart);
            if (size > limits.ratioExemptBytes() && size > consumed * limits.maxCompressionRatio()) {
                throw new UnsafeModelException("Model zip entry '" + name + "' inflates more than "
                        + limits.maxCompressionRatio() + ":1 (" + size + " bytes from at most " + consumed
                        + " compressed; limit maxCompressionRatio): refusing a possible zip bomb");
            }
        }
    }

    /** Counts the compressed bytes ZipInputStream has pulled, to measure each entry's real ratio. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
