package dev.topiary.grower.bench;

import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.SafeModelLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;

/**
 * Parents the bench trains before growing, kept in a folder ({@code --parents DIR}) so that runs
 * exploring what happens after the parent (block expansion's rate, positions, ...) train it once:
 * a resmlp parent trains through DL4J's own {@code fit} and takes minutes on full data. Training is
 * seeded and reproducible, so a loaded parent is the one the run would have trained; the key names
 * everything that decides it. Without a folder every run trains its parents.
 */
final class TrainedParents {
    private final Path folder;
    private final PrintStream log;

    /** @param folder where parents are kept; null: none are kept */
    TrainedParents(Path folder, PrintStream log) {
        this.folder = folder;
        this.log = log;
    }

    /** The parent named {@code key}: loaded if kept, else {@code fresh} trained by {@code train} (and kept). */
    Model get(String key, Supplier<Model> fresh, Consumer<Model> train) {
        Path file = folder == null ? null : folder.resolve(key + ".zip");
        try {
            if (file != null && Files.exists(file)) {
                log.println("parent " + key + ": loaded from " + file);
                return SafeModelLoader.load(Files.readAllBytes(file)).model();
            }
            Model model = fresh.get();
            train.accept(model);
            if (file != null) {
                Files.createDirectories(folder);
                Files.write(file, ModelArtifacts.save(model, false));
                log.println("parent " + key + ": kept in " + file);
            }
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("parents folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
