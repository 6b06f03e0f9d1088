package dev.topiary.nn.model;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Restores a DL4J ModelSerializer zip from bytes that may come from anyone on the bus. DL4J's own
 * loader trusts its input: it inflates every entry without bounds and reads {@code preprocessor.bin}
 * with a plain ObjectInputStream, so a crafted model can exhaust memory or run code. This loader
 * first inflates the zip under {@link ModelZipLimits}, refuses unknown entries, reads
 * {@code preprocessor.bin} (if any) itself under a DL4J-only class allow-list, refuses foreign
 * classes named in {@code configuration.json}, and checks that the ND4J array headers fit their
 * bytes. Only then does it build the network, reading the zip a second time: the configuration
 * through DL4J's JSON reader, the parameters and updater state with {@code Nd4j.read} straight
 * from the inflating stream into native memory (the preprocessor, which DL4J would read and then
 * discard, is never read). The restored weights must be finite: a NaN or infinity is refused with
 * the layer's name. The updater state is restored too, so training resumes where it stopped.
 *
 * <p>Memory: beyond the zip's own bytes, loading holds only its small entries on the heap, never a
 * second copy of the weights (DL4J's loader holds every entry inflated in memory, and the network
 * copies them once more into native memory), so a 200 MB model loads with its 200 MB zip in hand.
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
        ModelZipScanner.Scan scan = ModelZipScanner.scan(zip, limits);
        byte[] configuration = scan.kept().get(ModelSerializer.CONFIGURATION_JSON);
        for (String required : List.of(ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN)) {
            if (!scan.has(required)) {
                throw new ModelLoadException("Not a DL4J model: the zip has no '" + required + "' entry (entries: "
                        + scan.names() + ")");
            }
        }
        byte[] preprocessor = scan.kept().get(ModelSerializer.PREPROCESSOR_BIN);
        if (preprocessor != null) {
            PreprocessorAllowList.check(ModelSerializer.PREPROCESSOR_BIN, preprocessor);
        }
        ModelFormat format = ConfigurationCheck.formatOf(configuration);
        boolean noParams = scan.arrays().get(ModelSerializer.COEFFICIENTS_BIN) == 0;
        if (noParams && !scan.has(ModelSerializer.NO_PARAMS_MARKER)) {
            throw new ModelLoadException("Not a DL4J model: '" + ModelSerializer.COEFFICIENTS_BIN
                    + "' is empty and there is no '" + ModelSerializer.NO_PARAMS_MARKER + "'");
        }
        Model model;
        try {
            model = restore(zip, format, new String(configuration, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("DL4J could not restore the " + format + " model: " + rootMessage(e), e);
        }
        FiniteWeightsCheck.check(model);
        return new LoadedModel(model, format);
    }

    /** Builds the network from the vetted zip, streaming its arrays into native memory. */
    private static Model restore(byte[] zip, ModelFormat format, String json) throws IOException {
        INDArray params = null;
        INDArray updaterState = null;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.getName().equals(ModelSerializer.COEFFICIENTS_BIN)) {
                    params = readArray(in);
                } else if (entry.getName().equals(ModelSerializer.UPDATER_BIN)) {
                    updaterState = readArray(in);
                }
            }
        }
        return switch (format) {
            case MULTI_LAYER_NETWORK -> {
                MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
                if (params != null) {
                    conf.setDataType(params.dataType());
                }
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init(params, false);
                if (updaterState != null) {
                    net.getUpdater().setStateViewArray(net, updaterState, false);
                }
                yield net;
            }
            case COMPUTATION_GRAPH -> {
                ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
                if (params != null) {
                    conf.setDataType(params.dataType());
                }
                ComputationGraph graph = new ComputationGraph(conf);
                graph.init(params, false);
                if (updaterState != null) {
                    graph.getUpdater().setStateViewArray(updaterState);
                }
                yield graph;
            }
        };
    }

    /** An array entry straight into native memory; null for an empty entry (a model without parameters). */
    private static INDArray readArray(ZipInputStream entry) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(entry, 1 << 16);
        buffered.mark(1);
        if (buffered.read() < 0) {
            return null;
        }
        buffered.reset();
        return Nd4j.read(new DataInputStream(buffered)); // not closed: that would close the zip stream
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
