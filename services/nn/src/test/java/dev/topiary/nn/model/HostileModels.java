package dev.topiary.nn.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mutated model zips made from real networks, for the fuzz tests: each {@link Kind} is one way an
 * attacker or a broken disk could damage an artifact. Seeded, so a failure is reproducible from the
 * seed and the mutant's index. Public (in the nn test-jar) so the service tests send the same
 * mutants through a stage on the broker.
 */
public final class HostileModels {

    /** The ways a model zip is damaged. */
    public enum Kind {
        TRUNCATED, BIT_FLIP_ZIP, BIT_FLIP_ENTRY, RENAMED_ENTRY, DUPLICATED_ENTRY, OVERSIZED_ENTRY, ZIP_BOMB,
        NAN_WEIGHT, INF_WEIGHT, WRONG_SHAPE, UNKNOWN_CLASS, ABSURD_SIZE
    }

    /**
     * One damaged zip.
     *
     * @param layer for NaN and Inf weights, the name of the layer that holds them (the refusal must say it)
     */
    public record Mutant(Kind kind, String description, byte[] zip, String layer) {}

    private static final String[] FOREIGN_CLASSES = {"java.lang.ProcessBuilder", "com.sun.rowset.JdbcRowSetImpl",
            "org.deeplearning4j.nn.conf.layers.NoSuchLayer", "org.nd4j.linalg.NoSuchThing", "", "dense"};
    private static final String[] ENTRY_NAMES = {ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN,
            ModelSerializer.UPDATER_BIN, ModelSerializer.NORMALIZER_BIN, ModelSerializer.PREPROCESSOR_BIN,
            "../../etc/passwd", "configuration.json.bak", "coefficients.bin/", "\u0000", "a".repeat(300)};

    private final List<Model> models;
    private final List<byte[]> zips = new ArrayList<>();
    private final Random random;
    /** A real zip bomb costs seconds to make and to refuse: made once, sent as every 20th bomb. */
    private byte[] bomb;
    private int bombsMade;

    public HostileModels(List<? extends Model> models, long seed) {
        this.models = List.copyOf(models);
        for (Model m : models) {
            zips.add(ModelArtifacts.save(m, true));
        }
        this.random = new Random(seed);
    }

    /** The undamaged zips, in the order of the models given. */
    public List<byte[]> originals() {
        return List.copyOf(zips);
    }

    public Mutant next(Kind kind) {
        int which = random.nextInt(zips.size());
        byte[] zip = zips.get(which);
        return switch (kind) {
            case TRUNCATED -> {
                int length = random.nextInt(zip.length);
                yield new Mutant(kind, "first " + length + " of " + zip.length + " bytes", Arrays.copyOf(zip, length), null);
            }
            case BIT_FLIP_ZIP -> {
                byte[] out = zip.clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield new Mutant(kind, flips + " bit(s) flipped in the zip", out, null);
            }
            case BIT_FLIP_ENTRY -> {
                // inside an entry, re-zipped with a correct CRC: the damage reaches the parsers
                Map<String, byte[]> entries = ModelZips.entries(zip);
                String name = pick(entries.keySet().toArray(String[]::new));
                byte[] content = entries.get(name).clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips && content.length > 0; i++) {
                    content[random.nextInt(content.length)] ^= (byte) (1 << random.nextInt(8));
                }
                entries.put(name, content);
                yield new Mutant(kind, flips + " bit(s) flipped in " + name, ModelZips.zip(entries), null);
            }
            case RENAMED_ENTRY -> {
                Map<String, byte[]> entries = ModelZips.entries(zip);
                String from = pick(entries.keySet().toArray(String[]::new));
                String to = pick(ENTRY_NAMES);
                Map<String, byte[]> renamed = new LinkedHashMap<>();
                entries.forEach((k, v) -> renamed.put(k.equals(from) ? to : k, v));
                yield new Mutant(kind, from + " renamed " + printable(to), ModelZips.zip(renamed), null);
            }
            case DUPLICATED_ENTRY -> {
                Map<String, byte[]> entries = ModelZips.entries(zip);
                String name = pick(entries.keySet().toArray(String[]::new));
                yield new Mutant(kind, name + " twice", zipAllowingDuplicates(entries, name), null);
            }
            case OVERSIZED_ENTRY -> {
                Map<String, byte[]> entries = ModelZips.entries(zip);
                String name = pick(entries.keySet().toArray(String[]::new));
                int extra = 1 + random.nextInt(1 << 16);
                byte[] grown = Arrays.copyOf(entries.get(name), entries.get(name).length + extra);
                for (int i = grown.length - extra; i < grown.length; i++) {
                    grown[i] = (byte) random.nextInt();
                }
                entries.put(name, grown);
                yield new Mutant(kind, name + " with " + extra + " bytes more than it declares", ModelZips.zip(entries), null);
            }
            case ZIP_BOMB -> bombsMade++ % 20 == 0
                    ? new Mutant(kind, "coefficients.bin inflating to 320 MiB of zeros", bomb(), null)
                    : manyEntries(zip);
            case NAN_WEIGHT -> nonFinite(kind, which, Double.NaN);
            case INF_WEIGHT -> nonFinite(kind, which, random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
            case WRONG_SHAPE -> editConfiguration(kind, zip, "\"(nin|nout)\" : (\\d+)", m -> String.valueOf(
                    Math.max(0, Long.parseLong(m) + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(50)))));
            case UNKNOWN_CLASS -> editConfiguration(kind, zip, "\"(@class)\" : \"([^\"]*)\"", m -> "\"" + pick(FOREIGN_CLASSES) + "\"");
            case ABSURD_SIZE -> random.nextBoolean()
                    ? editConfiguration(kind, zip, "\"(nin|nout)\" : (\\d+)", m -> pick(new String[] {"2000000000",
                            "9223372036854775807", "-1", "4294967296", "99999999999"}))
                    : absurdArrayHeader(zip);
        };
    }

    /** NaN or an infinity in one random weight of one random layer, saved as DL4J would save it. */
    private Mutant nonFinite(Kind kind, int which, double value) {
        Model copy = models.get(which) instanceof MultiLayerNetwork net ? net.clone() : ((ComputationGraph) models.get(which)).clone();
        Layer[] layers = copy instanceof MultiLayerNetwork net ? net.getLayers() : ((ComputationGraph) copy).getLayers();
        List<Layer> withParams = Arrays.stream(layers).filter(l -> l.numParams() > 0).toList();
        Layer layer = withParams.get(random.nextInt(withParams.size()));
        String param = pick(layer.paramTable().keySet().toArray(String[]::new));
        INDArray values = layer.getParam(param);
        long index = (long) (random.nextDouble() * values.length());
        values.putScalar(index, value); // a linear index, whatever the array's order: a reshape could copy
        String name = layer.conf().getLayer().getLayerName();
        return new Mutant(kind, value + " at " + name + "." + param + "[" + index + "]", ModelArtifacts.save(copy, true), name);
    }

    /** Replaces the value of one random match of {@code regex} (group 2) in configuration.json. */
    private Mutant editConfiguration(Kind kind, byte[] zip, String regex, java.util.function.UnaryOperator<String> change) {
        Map<String, byte[]> entries = ModelZips.entries(zip);
        String json = new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8);
        var matcher = java.util.regex.Pattern.compile(regex).matcher(json);
        List<int[]> spots = new ArrayList<>();
        while (matcher.find()) {
            spots.add(new int[] {matcher.start(2), matcher.end(2)});
        }
        if (spots.isEmpty()) {
            throw new IllegalStateException("configuration.json has no match for " + regex);
        }
        int[] spot = spots.get(random.nextInt(spots.size()));
        String old = json.substring(spot[0], spot[1]);
        String replacement = change.apply(old);
        if (regex.contains("@class")) {
            // the class pattern replaces the quoted value, quotes included
            spot = new int[] {spot[0] - 1, spot[1] + 1};
        }
        String edited = json.substring(0, spot[0]) + replacement + json.substring(spot[1]);
        entries.put(ModelSerializer.CONFIGURATION_JSON, edited.getBytes(StandardCharsets.UTF_8));
        return new Mutant(kind, "configuration.json: " + old + " -> " + replacement, ModelZips.zip(entries), null);
    }

    /** The data buffer of coefficients.bin claims far more values than it holds. */
    private Mutant absurdArrayHeader(byte[] zip) {
        Map<String, byte[]> entries = ModelZips.entries(zip);
        byte[] coefficients = entries.get(ModelSerializer.COEFFICIENTS_BIN).clone();
        // Nd4j.write: [UTF mode][int/long length][UTF type] for the shape buffer, then the data buffer;
        // overwriting the bytes right after the first mode string hits the shape buffer's length
        int modeLength = ((coefficients[0] & 0xff) << 8) | (coefficients[1] & 0xff);
        int at = 2 + modeLength;
        long[] absurd = {Integer.MAX_VALUE, Long.MAX_VALUE, -1L, 1L << 40};
        long value = absurd[random.nextInt(absurd.length)];
        ByteBuffer.wrap(coefficients, at, 8).putLong(value);
        entries.put(ModelSerializer.COEFFICIENTS_BIN, coefficients);
        return new Mutant(Kind.ABSURD_SIZE, "coefficients.bin shape buffer length " + value, ModelZips.zip(entries), null);
    }

    /** More entries than a model has: refused by count before they are inflated. */
    private Mutant manyEntries(byte[] zip) {
        int count = 65 + random.nextInt(5000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < count; i++) {
                out.putNextEntry(new ZipEntry(i == 0 ? ModelSerializer.CONFIGURATION_JSON : "e" + i));
                out.write(new byte[16]);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Mutant(Kind.ZIP_BOMB, count + " entries", bytes.toByteArray(), null);
    }

    private byte[] bomb() {
        if (bomb == null) {
            Map<String, byte[]> entries = ModelZips.entries(zips.get(0));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(bytes)) {
                out.setLevel(9);
                out.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
                out.write(entries.get(ModelSerializer.CONFIGURATION_JSON));
                out.closeEntry();
                out.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 320; i++) {
                    out.write(zeros);
                }
                out.closeEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bomb = bytes.toByteArray();
        }
        return bomb;
    }

    /** ZipOutputStream refuses a duplicate name, so the second copy is written under a same-length stand-in and patched. */
    private static byte[] zipAllowingDuplicates(Map<String, byte[]> entries, String duplicate) {
        String standIn = "#".repeat(duplicate.length());
        Map<String, byte[]> withCopy = new LinkedHashMap<>(entries);
        withCopy.put(standIn, entries.get(duplicate));
        byte[] zip = ModelZips.zip(withCopy);
        byte[] from = standIn.getBytes(StandardCharsets.UTF_8);
        byte[] to = duplicate.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + from.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, zip, i, to.length);
            }
        }
        return zip;
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String printable(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "'" + shown.replace("\u0000", "\\0") + "'";
    }
}
