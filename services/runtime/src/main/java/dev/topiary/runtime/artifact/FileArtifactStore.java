package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.kafka.clients.producer.Producer;

/**
 * Artifacts as files named by their hash in a directory (e.g. a shared volume), for models too
 * large to want on a topic. Writes go to a temporary file renamed into place, so a reader never
 * sees half an artifact; a put of bytes already there is a no-op.
 *
 * <p>Reads follow a {@code file:} uri only into this directory: the path must lie inside it both
 * as written (after {@code ..} is resolved) and as the file system resolves it (after symlinks),
 * and must be a regular file, all checked before the file is opened; so an event naming
 * {@code /etc/passwd}, a FIFO or a device makes the store open nothing.
 */
public final class FileArtifactStore implements ArtifactStore {
    private final Path root;
    private final long maxBytes;

    public FileArtifactStore(Path root, long maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public ArtifactRef store(InputStream bytes, long size, String sha, ModelFormat format, Producer<String, byte[]> ignored) {
        ArtifactStore.requireWithin("artifact " + sha, size, maxBytes);
        Path target = pathOf(sha);
        try {
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), sha, ".part");
                try {
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        copyExactly(bytes, size, out, sha);
                    }
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new ArtifactUnavailableException("cannot write artifact " + sha + " under " + root + ": " + e.getMessage(), e);
        }
        return new ArtifactRef(target.toUri().toString(), sha, size, format);
    }

    private static void copyExactly(InputStream in, long size, OutputStream out, String sha) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new ArtifactException("artifact " + sha + " ended after " + (size - left) + " of " + size + " bytes");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    @Override
    public void readInto(ArtifactRef ref, ArtifactSink sink) {
        Path path = confined(ref);
        try {
            long size = Files.size(path);
            ArtifactStore.requireWithin("artifact " + ref.getUri(), size, maxBytes);
            if (size != sink.declaredSize()) {
                throw new ArtifactException("artifact " + ref.getUri() + " holds " + size
                        + " bytes but its event declares " + sink.declaredSize());
            }
            try (InputStream in = Files.newInputStream(path)) {
                sink.writeAll(in);
            }
        } catch (NoSuchFileException e) {
            throw missing(ref, path, e);
        } catch (IOException e) {
            throw new ArtifactUnavailableException("cannot read artifact " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file {@code ref} names, if it is a regular file inside this store; nothing is opened here. */
    private Path confined(ArtifactRef ref) {
        Path path;
        try {
            URI uri = URI.create(ref.getUri());
            if (!"file".equals(uri.getScheme())) {
                throw new OutsideStoreException("artifact " + ref.getUri() + " is not a file: uri");
            }
            path = Path.of(uri).normalize();
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("not a file artifact uri: " + ref.getUri() + " (" + e.getMessage() + ")", e);
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new ArtifactUnavailableException("the artifact directory " + root + " cannot be read (" + e + ")", e);
        }
        if (!path.startsWith(root) && !path.startsWith(realRoot)) {
            throw outside(ref, path + " is outside the artifact directory " + root);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw missing(ref, path, e);
        } catch (IOException e) {
            throw new ArtifactUnavailableException("cannot resolve artifact " + path + ": " + e.getMessage(), e);
        }
        if (!real.startsWith(realRoot)) {
            throw outside(ref, path + " resolves to " + real + ", outside the artifact directory " + root);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtifactException("artifact " + ref.getUri() + " is not a regular file");
        }
        return real;
    }

    private static OutsideStoreException outside(ArtifactRef ref, String why) {
        return new OutsideStoreException("artifact " + ref.getUri() + " is outside the store: " + why);
    }

    private static ArtifactException missing(ArtifactRef ref, Path path, IOException e) {
        return new ArtifactException("artifact missing: no file " + path + " (sha256 " + ref.getSha256() + ")", e);
    }

    private Path pathOf(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha);
    }
}
