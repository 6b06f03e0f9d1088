package dev.topiary.nn.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Inflates a model zip into memory entry by entry while enforcing {@link ModelZipLimits}, so
 * nothing downstream ever handles bytes that were not counted. Limits are checked on the bytes as
 * they inflate, not on the sizes the zip declares (which an attacker writes), and the compression
 * ratio is measured against the compressed bytes actually consumed, so a bomb is stopped after at
 * most {@code ratioExemptBytes} plus one buffer. Only the entry names DL4J's ModelSerializer writes
 * are accepted.
 */
final class ModelZipScanner {

    static final Set<String> KNOWN_ENTRIES = Set.of(
            ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN,
            ModelSerializer.UPDATER_BIN,
            ModelSerializer.NO_PARAMS_MARKER,
            ModelSerializer.NORMALIZER_BIN,
            ModelSerializer.PREPROCESSOR_BIN);

    private static final int CHUNK = 1 << 16;
    // Java arrays stop a little short of Integer.MAX_VALUE; DL4J holds every entry in one byte[].
    private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 16;

    private ModelZipScanner() {}

    static Map<String, byte[]> scan(byte[] zip, ModelZipLimits limits) {
        if (zip == null || zip.length < 4 || zip[0] != 'P' || zip[1] != 'K' || zip[2] != 3 || zip[3] != 4) {
            throw new ModelLoadException("Not a DL4J model: the artifact is not a zip file ("
                    + (zip == null ? "null" : zip.length + " bytes") + ")");
        }
        CountingInputStream counted = new CountingInputStream(new ByteArrayInputStream(zip));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(counted)) {
            ZipEntry entry;
            byte[] chunk = new byte[CHUNK];
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                if (entries.size() + 1 > limits.maxEntries()) {
                    throw new UnsafeModelException("Model zip has more than " + limits.maxEntries()
                            + " entries (limit maxEntries)");
                }
                if (!KNOWN_ENTRIES.contains(name)) {
                    throw new UnsafeModelException("Model zip has an unknown entry '" + name
                            + "': only " + String.join(", ", KNOWN_ENTRIES.stream().sorted().toList()) + " are allowed");
                }
                if (entries.containsKey(name)) {
                    throw new UnsafeModelException("Model zip has entry '" + name + "' twice");
                }
                long compressedStart = counted.count;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long size = 0;
                int n;
                while ((n = in.read(chunk)) > 0) {
                    size += n;
                    total += n;
                    if (total > limits.maxTotalBytes()) {
                        throw new UnsafeModelException("Model zip inflates to more than " + limits.maxTotalBytes()
                                + " bytes (limit maxTotalBytes), reached in entry '" + name + "'");
                    }
                    if (size > MAX_ENTRY_BYTES) {
                        throw new UnsafeModelException("Model zip entry '" + name + "' inflates to more than "
                                + MAX_ENTRY_BYTES + " bytes");
                    }
                    long compressed = Math.max(1, counted.count - compressedStart);
                    if (size > limits.ratioExemptBytes() && size > compressed * limits.maxCompressionRatio()) {
                        throw new UnsafeModelException("Model zip entry '" + name + "' inflates more than "
                                + limits.maxCompressionRatio() + ":1 (" + size + " bytes from at most " + compressed
                                + " compressed; limit maxCompressionRatio): refusing a possible zip bomb");
                    }
                    out.write(chunk, 0, n);
                }
                entries.put(name, out.toByteArray());
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipInputStream reports bad CRCs, truncation and malformed headers as these
            throw new ModelLoadException("Corrupt model zip after " + entries.size() + " good entries "
                    + entries.keySet() + ": " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new ModelLoadException("Not a DL4J model: the zip has no entries");
        }
        return entries;
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
