package dev.topiary.nn.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and loads a data set by the name a pipeline gives, once per process: every stage of an
 * in-process pipeline evaluates on the same data, and reading the full Fashion-MNIST again for each
 * model version would cost seconds and hundreds of megabytes each time.
 *
 * <p>Names:
 * <ul>
 *   <li>{@code fashion-mnist}: the full set from {@code /usr/share/datasets/fashion-mnist/} when
 *       present, otherwise the subset shipped in the repository ({@code data/fashion-mnist-small/},
 *       5000 train and 1000 test images, found in the working directory or one of its parents).
 *       When {@code TOPIARY_DATA_DIR} is set, only that folder is searched, for
 *       {@code fashion-mnist/} and then {@code fashion-mnist-small/}: so
 *       {@code TOPIARY_DATA_DIR=data} runs on the subset on a machine that has the full set, as a
 *       fresh machine would. One log line says which was used.</li>
 *   <li>{@code fashion-mnist-small}: always the shipped subset, for tests that must not depend on
 *       what the machine has installed.</li>
 *   <li>{@code idx:DIR}: any folder of MNIST-format IDX files (standard names, {@code .gz} or not);
 *       the class count is the largest training label + 1.</li>
 *   <li>{@code csv:FILE}: a numeric CSV file, see {@link CsvDatasetLoader}; {@code ?label=COLUMN}
 *       names the label column (header name or 0-based number; default the last).</li>
 * </ul>
 * Any name takes {@code ?train=N&test=M} to keep only the first N training and M test rows.
 * {@code TOPIARY_DATA_DIR} is read from the system property {@code topiary.data.dir} (or
 * {@code TOPIARY_DATA_DIR}) and then from the environment.
 *
 * <p>The returned data sets are shared by every caller in the process: treat their arrays as
 * read-only and {@code dup()} before changing anything in place (e.g. {@code DataSet.shuffle()}).
 */
public final class DatasetCatalog {

    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String FASHION_MNIST_SMALL = "fashion-mnist-small";
    public static final Path SYSTEM_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String DATA_DIR_PROPERTY = "topiary.data.dir";
    public static final String DATA_DIR_ENV = "TOPIARY_DATA_DIR";

    private static final Logger log = LoggerFactory.getLogger(DatasetCatalog.class);
    private static final int FASHION_CLASSES = 10;
    private static final ConcurrentMap<String, Dataset> cache = new ConcurrentHashMap<>();

    private DatasetCatalog() {}

    /** The data set with this name, loaded on first use and cached for the life of the process. */
    public static Dataset resolve(String name) {
        DatasetSpec spec = DatasetSpec.parse(name);
        Dataset cached = cache.get(spec.canonical());
        if (cached != null) {
            return cached;
        }
        if (spec.labels() != null) {
            Dataset every = resolve(spec.allClasses().canonical());
            return cache.computeIfAbsent(spec.canonical(),
                    key -> every.withClasses(spec.labels()).limit(spec.trainLimit(), spec.testLimit()).withName(name));
        }
        if (spec.limited()) {
            Dataset whole = cache.get(spec.unlimited().canonical());
            if (whole != null) {
                return cache.computeIfAbsent(spec.canonical(),
                        key -> whole.limit(spec.trainLimit(), spec.testLimit()).withName(name));
            }
        }
        return cache.computeIfAbsent(spec.canonical(), key -> load(name, spec));
    }

    /**
     * Checks a name the way {@link #resolve} reads it, loading nothing: its options, and a base that
     * names a data set there is. The files of {@code idx:} and {@code csv:} are not looked for (a
     * pipeline may be checked on another machine than the one that runs it).
     */
    public static void check(String name) {
        DatasetSpec spec = DatasetSpec.parse(name);
        if (!isFashionMnist(spec.base()) && !spec.base().startsWith("idx:") && !spec.base().startsWith("csv:")) {
            throw new DatasetException("Unknown data set '" + name + "': expected " + FASHION_MNIST + ", "
                    + FASHION_MNIST_SMALL + ", idx:DIR or csv:FILE (each optionally ?train=N&test=M)");
        }
        if (!spec.base().startsWith("csv:")) {
            noLabelOption(name, spec);
        }
    }

    private static boolean isFashionMnist(String base) {
        return base.equals(FASHION_MNIST) || base.equals(FASHION_MNIST_SMALL);
    }

    /** Drops every cached data set, e.g. for a long-running process that switches data. */
    public static void clearCache() {
        cache.clear();
    }

    private static Dataset load(String name, DatasetSpec spec) {
        check(name);
        long start = System.nanoTime();
        String base = spec.base();
        Dataset loaded;
        String description;
        if (isFashionMnist(base)) {
            Located found = locateFashionMnist(base.equals(FASHION_MNIST));
            loaded = IdxDatasetLoader.load(name, found.dir().toString(), found.dir(), spec.trainLimit(),
                    spec.testLimit(), FASHION_CLASSES);
            description = found.description();
        } else if (base.startsWith("idx:")) {
            Path dir = Path.of(base.substring("idx:".length())).toAbsolutePath().normalize();
            loaded = IdxDatasetLoader.load(name, dir.toString(), dir, spec.trainLimit(), spec.testLimit(), 0);
            description = "IDX files in " + dir;
        } else {
            Path file = Path.of(base.substring("csv:".length())).toAbsolutePath().normalize();
            loaded = CsvDatasetLoader.load(name, file, spec.label(), spec.trainLimit(), spec.testLimit());
            description = "CSV file " + file;
        }
        log.info("Data set {}: {} ({} train, {} test, {} features, {} classes) loaded in {} ms", name, description,
                loaded.trainSize(), loaded.testSize(), loaded.numFeatures(), loaded.numClasses(),
                (System.nanoTime() - start) / 1_000_000);
        return loaded;
    }

    private record Located(Path dir, String description) {}

    private static Located locateFashionMnist(boolean fullAllowed) {
        Path dataDir = configuredDataDir();
        List<String> tried = new ArrayList<>();
        // A configured folder is the only place looked at: what it lacks is not taken from the
        // machine, so a setting, not the absence of a package, decides which set is used.
        Path full = dataDir == null ? SYSTEM_FASHION_MNIST : dataDir.resolve(FASHION_MNIST);
        if (fullAllowed) {
            tried.add(full.toString());
            if (IdxDatasetLoader.isIdxDirectory(full)) {
                return new Located(full, "full Fashion-MNIST " + (dataDir == null ? "" : "from " + DATA_DIR_ENV + " ")
                        + "at " + full);
            }
        }
        List<Path> candidates = new ArrayList<>();
        if (dataDir != null) {
            candidates.add(dataDir.resolve(FASHION_MNIST_SMALL));
        } else {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                candidates.add(p.resolve("data").resolve(FASHION_MNIST_SMALL));
            }
        }
        for (Path candidate : candidates) {
            tried.add(candidate.toString());
            if (IdxDatasetLoader.isIdxDirectory(candidate)) {
                return new Located(candidate, "Fashion-MNIST subset at " + candidate
                        + (!fullAllowed ? "" : dataDir == null ? " (the full set was not found)"
                                : " (" + DATA_DIR_ENV + " has no " + FASHION_MNIST + "/)"));
            }
        }
        throw new DatasetException("Fashion-MNIST not found; looked in " + String.join(", ", tried)
                + ". Install it at " + SYSTEM_FASHION_MNIST + " or set " + DATA_DIR_ENV
                + " to a folder holding fashion-mnist/ or fashion-mnist-small/");
    }

    private static Path configuredDataDir() {
        String value = System.getProperty(DATA_DIR_PROPERTY, System.getProperty(DATA_DIR_ENV));
        if (value == null || value.isBlank()) {
            value = System.getenv(DATA_DIR_ENV);
        }
        return value == null || value.isBlank() ? null : Path.of(value).toAbsolutePath().normalize();
    }

    private static void noLabelOption(String name, DatasetSpec spec) {
        if (spec.label() != null) {
            throw new DatasetException("Option label= applies to csv: data sets only, not " + name);
        }
    }
}
