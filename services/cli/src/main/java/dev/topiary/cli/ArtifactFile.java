package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.artifact.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a version's artifact to a file, whole or not at all, after checking it is the one the event names. */
final class ArtifactFile {
    private ArtifactFile() {}

    static void write(ModelVersion version, byte[] bytes, Path output) throws IOException {
        String actual = Sha256.hex(bytes);
        if (!actual.equals(version.getArtifact().getSha256())) {
            throw new UserError("artifact of " + version.getId() + " is corrupt: expected sha256 "
                    + version.getArtifact().getSha256() + " but received bytes hash to " + actual);
        }
        Path target = output.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".pull", ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(output + "  " + bytes.length + " bytes  sha256 " + actual + " (verified)");
    }
}
