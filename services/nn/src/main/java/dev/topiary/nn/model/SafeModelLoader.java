package dev.topiary.nn.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Restores a DL4J ModelSerializer zip from bytes that may come from anyone on the bus. DL4J's own
 * loader trusts its input: it inflates every entry without bounds and reads {@code preprocessor.bin}
 * with a plain ObjectInputStream, so a crafted model can exhaust memory or run code. This loader
 * first inflates the zip under {@link ModelZipLimits}, refuses unknown entries, reads
 * {@code preprocessor.bin} (if any) itself under a DL4J-only class allow-list, refuses foreign
 * classes named in {@code configuration.json}, checks that the ND4J array headers fit their bytes,
 * and then hands DL4J a fresh zip holding only the entries it needs (never the preprocessor, which
 * DL4J reads and then discards). The restored weights must be finite: a NaN or infinity is refused
 * with the layer's name. The updater state is restored too, so training resumes where it stopped.
 *
 * <pre>{@code
 * LoadedModel loaded = SafeModelLoader.load(artifactBytes);
 * if (loaded.format() == ModelFormat.COMPUTATION_GRAPH) { ComputationGraph g = loaded.computationGraph(); }
 * }</pre>
 */
public final class SafeModelLoader {
    static {
        // layer helpers (oneDNN convolutions) are off by default in DL4J M2.1; see OneDnnHelpers
        OneDnnHelpers.enable();
    }


    private static final List<String> PASSED_TO_DL4J = List.of(
            ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN,
            ModelSerializer.NO_PARAMS_MARKER,
            ModelSerializer.UPDATER_BIN);

    private SafeModelLoader() {}

    /** Loads with {@link ModelZipLimits#DEFAULT}. */
    public static LoadedModel load(byte[] zip) {
        return load(zip, ModelZipLimits.DEFAULT);
    }

    /**
     * Loads a MultiLayerNetwork or ComputationGraph (whichever {@code configuration.json} describes).
     *
     * @throws UnsafeModelException if the zip breaks a limit or holds something that could run code
     * @throws ModelLoadException if it is not a zip, is corrupt, or is not a DL4J model
     */
    public static LoadedModel load(byte[] zip, ModelZipLimits limits) {
        Map<String, byte[]> entries = ModelZipScanner.scan(zip, limits);
        byte[] configuration = require(entries, ModelSerializer.CONFIGURATION_JSON);
        if (!entries.containsKey(ModelSerializer.COEFFICIENTS_BIN)) {
            throw new ModelLoadException("Not a DL4J model: the zip has no '" + ModelSerializer.COEFFICIENTS_BIN
                    + "' entry (entries: " + entries.keySet() + ")");
        }
        byte[] preprocessor = entries.get(ModelSerializer.PREPROCESSOR_BIN);
        if (preprocessor != null) {
            PreprocessorAllowList.check(ModelSerializer.PREPROCESSOR_BIN, preprocessor);
        }
        ModelFormat format = ConfigurationCheck.formatOf(configuration);
        for (String arrayEntry : List.of(ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.UPDATER_BIN)) {
            byte[] bytes = entries.get(arrayEntry);
            if (bytes != null && bytes.length > 0) {
                Nd4jArrayCheck.check(arrayEntry, bytes);
            }
        }

        byte[] vetted = repack(entries);
        Model model;
        try {
            model = switch (format) {
                case MULTI_LAYER_NETWORK -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(vetted), true);
                case COMPUTATION_GRAPH -> ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(vetted), true);
            };
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("DL4J could not restore the " + format + " model: " + rootMessage(e), e);
        }
        FiniteWeightsCheck.check(model);
        return new LoadedModel(model, format);
    }

    private static byte[] require(Map<String, byte[]> entries, String name) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new ModelLoadException("Not a DL4J model: the zip has no '" + name + "' entry (entries: "
                    + entries.keySet() + ")");
        }
        return bytes;
    }

    /** Stored (uncompressed) entries: the bytes are already in memory, and deflating them again is wasted time. */
    private static byte[] repack(Map<String, byte[]> entries) {
        long size = 0;
        for (String name : PASSED_TO_DL4J) {
            byte[] b = entries.get(name);
            size += b == null ? 0 : b.length + 128;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, size + 256));
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : PASSED_TO_DL4J) {
                byte[] bytes = entries.get(name);
                if (bytes == null) {
                    continue;
                }
                ZipEntry entry = new ZipEntry(name);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new ModelLoadException("Cannot repack the model zip in memory: " + e, e);
        }
        return out.toByteArray();
    }

    private static String rootMessage(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        while (cause != null && cause != e) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
            e = cause;
            cause = cause.getCause();
        }
        return message.toString();
    }
}
