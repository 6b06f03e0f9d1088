package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * fold-batchnorm and fuse-linear compute the same function as before (to 1e-5, the same
 * predictions) with fewer layers, on dense nets, LeNet with batch norm and the residual CNN; the
 * results save and load; a model with nothing to fold or fuse, and a fusion that would grow the
 * model, are refused with the reason.
 */
class FusionTest {

    @Test
    void foldingBatchNormIntoDenseKeepsTheFunction() {
        Model model = MergeNets.denseWithBatchNorm(3, 12);
        MergeNets.randomiseNorms(model, 5);
        assertExactFusion(model, MergeMethod.FOLD_BATCHNORM, MergeNets.randomRows(1, 64, 12), 1);
    }

    @Test
    void foldingBatchNormIntoConvolutionsKeepsTheFunction() {
        Model lenet = ModelFactory.cnn(4, true);
        MergeNets.randomiseNorms(lenet, 6);
        assertExactFusion(lenet, MergeMethod.FOLD_BATCHNORM, MergeNets.randomRows(2, 32, 784), 2);

        Model rescnn = ModelFactory.rescnn(4, 2, 10, 7);
        MergeNets.randomiseNorms(rescnn, 8);
        assertExactFusion(rescnn, MergeMethod.FOLD_BATCHNORM, MergeNets.randomRows(3, 32, 784), 5);
    }

    @Test
    void fusingLinearLayersKeepsTheFunction() {
        Model model = MergeNets.linearPair(9, 20, 8, 6); // 20*8+8+8*6+6 = 222 parameters fuse into 20*6+6 = 126
        MergeResult r = assertExactFusion(model, MergeMethod.FUSE_LINEAR, MergeNets.randomRows(4, 64, 20), 1);
        assertEquals(Network.of(model).params().length() - 96, r.network().params().length());
    }

    @Test
    void nothingToFoldOrFuseIsRefusedWithTheReason() {
        Network plain = Network.of(ModelFactory.mlp(1, new int[] {12, 8, 3}));
        IllegalArgumentException fold = assertThrows(IllegalArgumentException.class,
                () -> run(plain, MergeMethod.FOLD_BATCHNORM));
        assertTrue(fold.getMessage().contains("nothing to fold"), fold.getMessage());
        IllegalArgumentException fuse = assertThrows(IllegalArgumentException.class,
                () -> run(plain, MergeMethod.FUSE_LINEAR));
        assertTrue(fuse.getMessage().contains("nothing to fuse"), fuse.getMessage());

        // 100 -> 4 -> 100: the pair has 100*4+4+4*100+100 = 904 parameters, the product 100*100+100
        Network bottleneck = Network.of(MergeNets.linearPair(2, 100, 4, 100));
        IllegalArgumentException grow = assertThrows(IllegalArgumentException.class,
                () -> run(bottleneck, MergeMethod.FUSE_LINEAR));
        assertTrue(grow.getMessage().contains("'linear' into 'dense' would make 10100 parameters of 904"), grow.getMessage());
    }

    private static MergeResult assertExactFusion(Model model, MergeMethod method, INDArray x, int removedLayers) {
        Network before = Network.of(model);
        MergeResult r = run(before, method);
        Network after = r.network();
        assertEquals(before.layers().length - removedLayers, after.layers().length, "layers removed");
        assertEquals((double) removedLayers, r.stats().get(MergeResult.REMOVED_LAYERS));
        double diff = MergeNets.maxAbsDiff(before, after, x);
        assertTrue(diff <= 1e-5, method.key() + ": max |Δ output| " + diff);
        assertEquals(before.output(x).argMax(1), after.output(x).argMax(1), "same predictions");
        Network loaded = Network.of(SafeModelLoader.load(ModelArtifacts.save(after.model(), true)).model());
        assertTrue(MergeNets.maxAbsDiff(after, loaded, x) == 0, "saves and loads");
        return r;
    }

    private static MergeResult run(Network net, MergeMethod method) {
        return Merging.apply(List.of(net), List.of(new Member("v-1", List.of())), null, MergeSpec.fromMap(Map.of("method", method.key())));
    }
}
