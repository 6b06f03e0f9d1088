package dev.topiary.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.edit.Edits.NamedLayer;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.ResidualBlock;
import dev.topiary.surgery.graph.SameShapeLayers;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What cut and grow build on: residual blocks found and removed or inserted, runs replaced, bad shapes refused. */
class EditsTest {

    @Test
    void residualBlocksAreFoundWithTheirForkSkipAndBranch() {
        List<ResidualBlock> blocks = ResidualBlock.find(NetworkView.of(SurgeryNets.residual().model(), "cut"));
        assertEquals(List.of(new ResidualBlock("b1_add", "stem", "stem", List.of("b1_dense1", "b1_dense2")),
                new ResidualBlock("b2_add", "b1_relu", "b1_relu", List.of("b2_dense1", "b2_dense2"))), blocks);
        assertTrue(blocks.get(0).identitySkip());
    }

    @Test
    void removingAResidualAddKeepingTheSkipDropsTheWholeBranch() {
        Network net = SurgeryNets.residual();
        Network cut = SurgeryNets.saveAndLoad(Edits.of(net).removeKeeping("b2_add", "b1_relu"));
        NetworkView view = NetworkView.of(cut.model(), "cut");
        for (String gone : new String[] {"b2_dense1", "b2_dense2", "b2_add"}) {
            assertFalse(view.has(gone), gone);
        }
        assertEquals(List.of("b1_relu"), view.node("b2_relu").inputs());
        assertEquals(net.params("b1_dense1").get("W"), cut.params("b1_dense1").get("W"), "survivors keep their weights");
        assertEquals(List.of(4L, 3L), List.of(cut.output(SurgeryNets.rows(4, 6, 1)).shape()[0],
                cut.output(SurgeryNets.rows(4, 6, 1)).shape()[1]));
    }

    @Test
    void aResidualBlockInsertedAsIdentityKeepsTheFunction() {
        Network net = SurgeryNets.residual();
        INDArray x = SurgeryNets.rows(16, 6, 2);
        Network grown = Edits.of(net).insertResidualBlock("b1_relu", List.of(
                new NamedLayer("g_dense1", SurgeryNets.dense(null, 8, Activation.RELU)),
                new NamedLayer("g_dense2", SurgeryNets.dense(null, 8, Activation.IDENTITY))), "g_add", true);
        Network loaded = SurgeryNets.saveAndLoad(grown);
        assertTrue(loaded.output(x).equalsWithEps(net.output(x), 1e-6), "the new block adds zero");
        assertEquals(3, ResidualBlock.find(NetworkView.of(loaded.model(), "grow")).size());
        assertEquals(List.of("g_add"), NetworkView.of(loaded.model(), "grow").node("b2_dense1").inputs());
    }

    @Test
    void aMultiLayerNetworkCannotTakeAResidualBlock() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> Edits.of(SurgeryNets.mlp())
                .insertResidualBlock("dense1", List.of(new NamedLayer("x", SurgeryNets.dense(null, 8, Activation.RELU))),
                        "add", true));
        assertTrue(e.getMessage().contains("ComputationGraph"), e.getMessage());
    }

    static Stream<Network> chains() {
        return Stream.of(SurgeryNets.mlp(), SurgeryNets.cnn(), SurgeryNets.pooled(), SurgeryNets.batchNorm(), SurgeryNets.dropout());
    }

    @ParameterizedTest
    @MethodSource("chains")
    void aMultiLayerNetworkAsAGraphComputesTheSameUnderTheSameNames(Network chain) {
        INDArray x = SurgeryNets.rows(16, chain.input().inputType().arrayElementsPerExample(), 4);
        Network graph = SurgeryNets.saveAndLoad(chain.asGraph());

        assertTrue(graph.isGraph());
        assertTrue(graph.output(x).equalsWithEps(chain.output(x), 1e-6), "the same function");
        List<String> chainNames = NetworkView.of(chain.model(), "t").nodes().stream().filter(n -> !n.isInput()).map(n -> n.name()).toList();
        List<String> graphNames = NetworkView.of(graph.model(), "t").nodes().stream().filter(n -> !n.isInput()).map(n -> n.name()).toList();
        assertEquals(chainNames, graphNames, "the same layers, named and ordered alike");
        assertEquals(chain.params(), graph.params(), "every parameter, in the same flat order");
        assertEquals(chain.input().inputType(), graph.input().inputType());
        assertTrue(graph.asGraph() == graph, "a graph is already one");
    }

    @Test
    void aChainRepeatingALayerNameIsRefusedAsAGraphNamingIt() {
        Network twins = SurgeryNets.init(SurgeryNets.base().list().layer(SurgeryNets.dense("twin", 8, Activation.RELU))
                .layer(SurgeryNets.dense("twin", 8, Activation.RELU)).layer(SurgeryNets.output())
                .setInputType(InputType.feedForward(6)).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, twins::asGraph);
        assertTrue(e.getMessage().contains("two layers are named 'twin'"), e.getMessage());
    }

    @Test
    void aRunOfLayersIsReplacedByOne() {
        Network net = SurgeryNets.cnn();
        Network replaced = SurgeryNets.saveAndLoad(Edits.of(net).replace(List.of("conv1", "conv2"), "conv12",
                SurgeryNets.conv(null, 4, Activation.RELU), null));
        NetworkView view = NetworkView.of(replaced.model(), "cut");
        assertFalse(view.has("conv1") || view.has("conv2"));
        assertEquals(List.of("conv12"), view.node("dense1").inputs());
        assertEquals(net.params("dense1").get("W"), replaced.params("dense1").get("W"));
        assertEquals(3, replaced.output(SurgeryNets.rows(2, 36, 3)).size(1));

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> Edits.of(net)
                .replace(List.of("conv1", "conv2"), "conv12", SurgeryNets.conv(null, 5, Activation.RELU), null));
        assertTrue(wrong.getMessage().contains("'dense1'") && wrong.getMessage().contains("6x6x5"), wrong.getMessage());
    }

    @Test
    void anEditThatBreaksShapesIsRefusedNamingTheLayerAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Edits.of(SurgeryNets.mlp()).remove("dense1"));
        assertTrue(e.getMessage().contains("layer 'dense2' (DenseLayer) has nIn 8 but receives 6"), e.getMessage());
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> Edits.of(SurgeryNets.mlp()).remove("output"));
        assertTrue(output.getMessage().contains("network output"), output.getMessage());
        IllegalArgumentException identity = assertThrows(IllegalArgumentException.class,
                () -> Edits.of(SurgeryNets.mlp()).insertIdentityAfter("dense1", "x", new BatchNormalization.Builder().build()));
        assertTrue(identity.getMessage().contains("BatchNormalization has no identity form"), identity.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Edits.of(SurgeryNets.mlp()).remove("dense9"));
        assertTrue(unknown.getMessage().contains("'dense9'") && unknown.getMessage().contains("dense1"), unknown.getMessage());
    }

    @Test
    void sameShapeLayersAreTheOnesACutCanDropAlone() { // single-input nodes only: an add is removed keeping one input
        assertEquals(List.of("dense2"), SameShapeLayers.find(NetworkView.of(SurgeryNets.mlp().model(), "cut"),
                InputType.feedForward(6)));
        assertEquals(List.of("conv2"), SameShapeLayers.find(NetworkView.of(SurgeryNets.cnn().model(), "cut"),
                InputType.convolutionalFlat(6, 6, 1)));
        assertEquals(List.of("b1_dense1", "b1_dense2", "b1_relu", "b2_dense1", "b2_dense2", "b2_relu"),
                SameShapeLayers.find(NetworkView.of(SurgeryNets.residual().model(), "cut"), InputType.feedForward(6)));
    }
}
