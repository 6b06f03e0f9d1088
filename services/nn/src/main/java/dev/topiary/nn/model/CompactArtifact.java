package dev.topiary.nn.model;

import dev.topiary.surgery.graph.Network;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The smallest artifact of a model (pruned, cut, merged, grown) that {@code ModelSerializer.restoreMultiLayerNetwork} /
 * {@code restoreComputationGraph} still load unchanged: the same two entries ModelSerializer writes
 * without updater state ({@code configuration.json}, {@code coefficients.bin} from
 * {@code Nd4j.write(model.params())}), but deflated at the highest level. Weights stay exact; the
 * saving comes from the runs of zeros pruning leaves, which DEFLATE encodes in a few bits each.
 *
 * <p>The updater state is left out on purpose: it is as large as the weights, dense even for a
 * pruned model, and a fine-tuning stage starts a fresh updater anyway (as does any network an
 * edit or index map rebuilt).
 */
public final class CompactArtifact {
    private CompactArtifact() {
    }

    /** The compact zip for {@code model}. */
    public static byte[] write(Model model) {
        String json = Network.of(model).configurationJson();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write(json.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            DataOutputStream out = new DataOutputStream(zip);
            Nd4j.write(model.params(), out);
            out.flush();
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** What ModelSerializer itself writes without updater state, for comparison. */
    public static byte[] writePlain(Model model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
