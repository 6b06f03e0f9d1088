package dev.topiary.runtime.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.ModelFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest {
    @TempDir
    Path dir;

    @Test
    void storesByContentAndReadsBack() {
        FileArtifactStore store = new FileArtifactStore(dir, 1 << 20);
        byte[] bytes = "weights".getBytes(StandardCharsets.UTF_8);
        ArtifactRef ref = store.put(bytes, ModelFormat.OPAQUE, null);
        assertEquals(Sha256.hex(bytes), ref.getSha256());
        assertEquals(bytes.length, ref.getSizeBytes());
        assertArrayEquals(bytes, store.get(ref));
        assertEquals(ref.getUri(), store.put(bytes.clone(), ModelFormat.OPAQUE, null).getUri());
    }

    @Test
    void putUnlessStoredKeepsTheExistingReferenceForTheSameBytesOnly() throws Exception {
        FileArtifactStore store = new FileArtifactStore(dir, 1 << 20);
        ArtifactRef existing = store.put("a".getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE, null);
        assertSame(existing, store.putUnlessStored("a".getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE,
                null, existing));
        ArtifactRef changed = store.putUnlessStored("b".getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE,
                null, existing);
        assertNotEquals(existing.getSha256(), changed.getSha256());
        assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), store.get(changed));
        try (var files = Files.walk(dir)) {
            assertEquals(2, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void aCorruptedFileIsRefusedNamingBothHashes() throws Exception {
        FileArtifactStore store = new FileArtifactStore(dir, 1 << 20);
        ArtifactRef ref = store.put("original".getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE, null);
        Files.writeString(Path.of(java.net.URI.create(ref.getUri())), "tampered");
        ArtifactException e = assertThrows(ArtifactException.class, () -> store.get(ref));
        assertTrue(e.getMessage().contains(ref.getSha256()), e.getMessage());
        assertTrue(e.getMessage().contains(Sha256.hex("tampered".getBytes(StandardCharsets.UTF_8))), e.getMessage());
    }

    @Test
    void refusesAnArtifactOverTheSizeLimit() {
        FileArtifactStore store = new FileArtifactStore(dir, 4);
        ArtifactException e = assertThrows(ArtifactException.class,
                () -> store.put(new byte[5], ModelFormat.OPAQUE, null));
        assertTrue(e.getMessage().contains("5 bytes"), e.getMessage());
    }
}
