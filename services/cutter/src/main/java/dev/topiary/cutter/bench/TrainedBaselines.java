package dev.topiary.cutter.bench;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;

/**
 * The benchmark's baselines, trained with the trainer's defaults, and with {@code --baselines DIR}
 * saved there and loaded on the next run instead of trained again: a rescnn baseline on the full
 * data is some 90 CPU-minutes, hours on a shared machine, and every variant of a cut starts from the same
 * one. A file is named by everything that decides its weights (model and width, epochs, the data
 * set with its row limits; the trainer's seed is its default), so a run never reuses a baseline
 * trained on other data or for other epochs.
 */
final class TrainedBaselines {
    private final Dataset data;
    private final Path dir;
    private final PrintStream log;

    /** @param dir where baselines are kept; null to train every time */
    TrainedBaselines(Dataset data, Path dir, PrintStream log) {
        this.data = data;
        this.dir = dir;
        this.log = log;
    }

    /**
     * {@code untrained} after {@code epochs} epochs of the trainer's defaults on the data set.
     *
     * @param what names the architecture and its width, e.g. {@code rescnn-f16-b6}
     */
    Model get(String what, Supplier<Model> untrained, int epochs) {
        Path file = dir == null ? null : dir.resolve(fileName(what, epochs));
        if (file != null && Files.isRegularFile(file)) {
            try {
                Model loaded = SafeModelLoader.load(Files.readAllBytes(file)).model();
                log.printf(Locale.ROOT, "loaded %s: %d epochs, from %s%n", what, epochs, file);
                return loaded;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the baseline " + file + ": " + e.getMessage(), e);
            }
        }
        Model model = untrained.get();
        long start = System.nanoTime();
        new Trainer(TrainingConfig.defaults().withEpochs(epochs)).fit(model, data, null, StepHook.NONE);
        log.printf(Locale.ROOT, "trained %s: %d epochs in %.0f s%n", what, epochs, (System.nanoTime() - start) / 1e9);
        if (file != null) {
            try {
                Files.createDirectories(dir);
                Path partial = dir.resolve(file.getFileName() + ".part");
                Files.write(partial, ModelArtifacts.save(model, false));
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                log.println("saved it to " + file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the baseline to " + file + ": " + e.getMessage(), e);
            }
        }
        return model;
    }

    private String fileName(String what, int epochs) {
        String dataName = data.name().replaceAll("[^A-Za-z0-9=.-]+", "_");
        return String.format(Locale.ROOT, "%s-e%d-%s-n%d.zip", what, epochs, dataName, data.trainSize());
    }
}
