package dev.topiary.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files shipped with Topiary (pipelines, data), found from the working directory or the install root. */
final class RepoPaths {
    /** Set by the {@code ./topiary} script to the repository root. */
    static final String HOME_PROPERTY = "topiary.home";

    private RepoPaths() {}

    static Path resolve(Path path) {
        if (path.isAbsolute() || Files.exists(path)) {
            return path;
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && Files.exists(Path.of(home).resolve(path))) {
            return Path.of(home).resolve(path);
        }
        throw new UserError("no such file: " + path);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
