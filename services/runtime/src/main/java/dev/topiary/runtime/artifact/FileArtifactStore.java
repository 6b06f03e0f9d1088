package dev.topiary.runtime.artifact;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.kafka.clients.producer.Producer;

/**
 * Artifacts as files named by their hash in a directory (e.g. a shared volume), for models too
 * large to want on a topic. Writes go to a temporary file renamed into place, so a reader never
 * sees half an artifact; a put of bytes already there is a no-op.
 */
public final class FileArtifactStore implements ArtifactStore {
    private final Path root;
    private final long maxBytes;

    public FileArtifactStore(Path root, long maxBytes) {
        this.root = root.toAbsolutePath();
        this.maxBytes = maxBytes;
    }

    @Override
    public ArtifactRef store(byte[] bytes, String sha, ModelFormat format, Producer<String, byte[]> ignored) {
        if (bytes.length > maxBytes) {
            throw new ArtifactException("artifact of " + bytes.length + " bytes is over the configured maximum of " + maxBytes);
        }
        Path target = pathOf(sha);
        try {
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), sha, ".part");
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ArtifactException("cannot write artifact " + sha + " under " + root + ": " + e.getMessage(), e);
        }
        return new ArtifactRef(target.toUri().toString(), sha, (long) bytes.length, format);
    }

    @Override
    public byte[] get(ArtifactRef ref) {
        Path path;
        try {
            path = Path.of(URI.create(ref.getUri()));
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("not a file artifact uri: " + ref.getUri(), e);
        }
        try {
            if (Files.size(path) > maxBytes) {
                throw new ArtifactException("artifact " + ref.getUri() + " is " + Files.size(path)
                        + " bytes, over the configured maximum of " + maxBytes);
            }
            byte[] bytes = Files.readAllBytes(path);
            ArtifactStore.verify(ref, bytes, maxBytes);
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ArtifactException("artifact missing: no file " + path + " (sha256 " + ref.getSha256() + ")", e);
        } catch (IOException e) {
            throw new ArtifactException("cannot read artifact " + path + ": " + e.getMessage(), e);
        }
    }

    private Path pathOf(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha);
    }
}
