package dev.topiary.nn.train;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.SafeModelLoader;
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
 * Networks a benchmark trains before its real work (the baseline a cut starts from, the parent a
 * grow starts from), trained with the trainer's defaults and, given a folder, kept there and
 * loaded by the next run instead of trained again: runs that explore what happens after training
 * (a healing setting, a growth rate) then train each starting network once, and a rescnn baseline
 * on the full data is some 90 CPU-minutes. Training is seeded, so a loaded network is the one the
 * run would have trained, as long as its file name says everything that decides its weights: the
 * caller's name for the architecture (its width, depth and seed), the epochs, and the data set
 * with its row limits, which this class adds. The trainer's defaults are not in the name: after a
 * change to them, empty the folder. Without a folder every run trains.
 */
public final class TrainedModelFolder {
    private final Dataset data;
    private final Path folder;
    private final PrintStream log;

    /** @param folder where trained networks are kept; null to train every time */
    public TrainedModelFolder(Dataset data, Path folder, PrintStream log) {
        this.data = data;
        this.folder = folder;
        this.log = log;
    }

    /**
     * {@code untrained} after {@code epochs} epochs of the trainer's defaults on the data set:
     * loaded when kept, else trained (and kept).
     *
     * @param what names the architecture, its size and its seed, e.g. {@code rescnn-f16-b6}
     */
    public Model get(String what, Supplier<Model> untrained, int epochs) {
        Path file = folder == null ? null : folder.resolve(fileName(what, epochs));
        if (file != null && Files.isRegularFile(file)) {
            try {
                Model loaded = SafeModelLoader.load(Files.readAllBytes(file)).model();
                log.printf(Locale.ROOT, "loaded %s: %d epochs, from %s%n", what, epochs, file);
                return loaded;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the trained network " + file + ": " + e.getMessage(), e);
            }
        }
        Model model = untrained.get();
        log.printf(Locale.ROOT, "training %s for %d epochs%n", what, epochs);
        long start = System.nanoTime();
        new Trainer(TrainingConfig.defaults().withEpochs(epochs)).fit(model, data, TrainingListener.NONE, StepHook.NONE);
        log.printf(Locale.ROOT, "trained %s: %d epochs in %.0f s%n", what, epochs, (System.nanoTime() - start) / 1e9);
        if (file != null) {
            keep(model, file);
        }
        return model;
    }

    /** Written beside and moved into place, so an interrupted run never leaves a half file that a later one loads. */
    private void keep(Model model, Path file) {
        try {
            Files.createDirectories(folder);
            Path partial = folder.resolve(file.getFileName() + ".part");
            Files.write(partial, ModelArtifacts.save(model, false));
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            log.println("kept it in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the trained network in " + file + ": " + e.getMessage(), e);
        }
    }

    private String fileName(String what, int epochs) {
        String dataName = data.name().replaceAll("[^A-Za-z0-9=.-]+", "_");
        return String.format(Locale.ROOT, "%s-e%d-%s-n%d.zip", what, epochs, dataName, data.trainSize());
    }
}
