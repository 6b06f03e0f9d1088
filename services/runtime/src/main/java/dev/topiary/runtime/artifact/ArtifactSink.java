package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;

/**
 * Where a store pours an artifact's bytes as it reads them: memory (one array of exactly the
 * declared size) or a file. It is the one place that checks what a store read: the size the event
 * declares is checked against the maximum before anything is allocated, every byte is counted as
 * it arrives (a stored artifact longer than declared is refused at the first byte too many), and
 * the bytes are given out only once their SHA-256 matches the event's.
 */
public final class ArtifactSink implements AutoCloseable {
    private final ArtifactRef ref;
    private final long declared;
    private final MessageDigest digest = Sha256.digest();
    private final byte[] memory;
    private final Path target;
    private final Path partFile;
    private final OutputStream file;
    private long count;
    private boolean done;

    private ArtifactSink(ArtifactRef ref, byte[] memory, Path target, Path partFile, OutputStream file) {
        this.ref = ref;
        this.declared = ref.getSizeBytes();
        this.memory = memory;
        this.target = target;
        this.partFile = partFile;
        this.file = file;
    }

    /** Collects the artifact in memory; refuses a declared size over {@code maxBytes} before allocating it. */
    public static ArtifactSink inMemory(ArtifactRef ref, long maxBytes) {
        ArtifactStore.requireWithin("artifact " + ref.getUri(), ref.getSizeBytes(), Math.min(maxBytes, Integer.MAX_VALUE - 16));
        return new ArtifactSink(ref, new byte[(int) ref.getSizeBytes()], null, null, null);
    }

    /** Collects the artifact in a part file beside {@code target}, renamed to it once verified. */
    public static ArtifactSink toFile(ArtifactRef ref, long maxBytes, Path target) {
        ArtifactStore.requireWithin("artifact " + ref.getUri(), ref.getSizeBytes(), maxBytes);
        Path absolute = target.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path part = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            return new ArtifactSink(ref, null, absolute, part,
                    new BufferedOutputStream(Files.newOutputStream(part), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The size the event declares: how many bytes a store should pour in. */
    public long declaredSize() {
        return declared;
    }

    public long written() {
        return count;
    }

    public void write(byte[] bytes, int offset, int length) {
        if (count + length > declared) {
            throw new ArtifactException("artifact " + ref.getUri() + " holds more than the " + declared
                    + " bytes its event declares");
        }
        digest.update(bytes, offset, length);
        if (memory != null) {
            System.arraycopy(bytes, offset, memory, (int) count, length);
        } else {
            try {
                file.write(bytes, offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + partFile + ": " + e.getMessage(), e);
            }
        }
        count += length;
    }

    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Pours all of {@code in}, stopping at the first byte past the declared size. */
    public void writeAll(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
            write(buffer, 0, n);
        }
    }

    /** The verified bytes of an in-memory sink. */
    public byte[] verifiedBytes() {
        verify();
        return memory;
    }

    /** Moves a file sink's verified bytes into place. */
    public void verifiedFile() {
        try {
            file.close();
            verify();
            Files.move(partFile, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private void verify() {
        if (count != declared) {
            throw new ArtifactException("artifact " + ref.getUri() + " holds " + count + " bytes but its event declares "
                    + declared);
        }
        String actual = Sha256.hex(digest);
        if (!actual.equals(ref.getSha256())) {
            throw new ArtifactException("artifact " + ref.getUri() + " is corrupt: expected sha256 "
                    + ref.getSha256() + " but the stored bytes hash to " + actual);
        }
        done = true;
    }

    /** Deletes the part file of a sink that was not verified. */
    @Override
    public void close() {
        if (file == null) {
            return;
        }
        try {
            file.close();
            if (!done) {
                Files.deleteIfExists(partFile);
            }
        } catch (IOException e) {
            // the part file is a stray in the target's directory, named as such
        }
    }
}
