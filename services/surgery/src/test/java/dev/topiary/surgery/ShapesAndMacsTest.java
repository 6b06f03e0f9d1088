package dev.topiary.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import dev.topiary.surgery.macs.MacCounter;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;

/** Input shapes as a network records them, and the one MAC counter for metrics and planning. */
class ShapesAndMacsTest {

    @Test
    void inputShapesAreReadFromTheFirstLayer() {
        assertEquals(InputShape.flat(6), SurgeryNets.mlp().input());
        assertEquals(InputShape.flatImage(1, 6, 6), SurgeryNets.cnn().input());
        assertEquals(InputType.convolutionalFlat(6, 6, 1), SurgeryNets.cnn().input().inputType());
        InputShape image = SurgeryNets.globalPooling().input();
        assertEquals(InputShape.Kind.IMAGE, image.kind());
        assertEquals(1, image.channels());
        assertEquals(InputShape.image(1, 6, 6), image.resolve(36, new int[] {1, 6, 6}));
        assertEquals(InputShape.image(1, 6, 6), image.resolve(36, null), "square images when the data says nothing");
        assertEquals(InputShape.flat(6), SurgeryNets.residual().input());
    }

    @Test
    void imageInputThatDoesNotFitTheDataNamesBothShapes() {
        InputShape image = SurgeryNets.globalPooling().input();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> image.resolve(75, new int[] {3, 5, 5}));
        assertTrue(e.getMessage().contains("images of 1 channel(s)") && e.getMessage().contains("75 features (3x5x5 images)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> image.resolve(35, null));
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> SurgeryNets.mlp().input().resolve(784, new int[] {1, 28, 28}));
        assertTrue(flat.getMessage().contains("6 features") && flat.getMessage().contains("784 features"), flat.getMessage());
    }

    @Test
    void flatRowsAreReshapedForAnImageInput() {
        Network net = SurgeryNets.globalPooling();
        assertArrayEquals(new long[] {4, 1, 6, 6}, net.input().rows(SurgeryNets.rows(4, 36, 1)).shape());
        assertTrue(net.output(SurgeryNets.rows(4, 36, 1)).equalsWithEps(
                net.output(SurgeryNets.rows(4, 36, 1).reshape('c', 4, 1, 6, 6)), 0));
    }

    @Test
    void macsAreCountedPerLayerTypeAndPlannedWidthsAgreeWithTheRebuiltNetwork() {
        // conv1 6*6*9*1*4 + conv2 6*6*9*4*4 + dense 144*5 + output 5*3
        long cnn = 6 * 6 * 9 * 4 + 6 * 6 * 9 * 16 + 144 * 5 + 5 * 3;
        assertEquals(cnn, MacCounter.count(SurgeryNets.cnn().model(), InputType.convolutionalFlat(6, 6, 1)));
        // batch norm, dropout and global pooling cost nothing
        assertEquals(6 * 6 * 9 * 4 + 6 * 6 * 9 * 4 * 5 + 5 * 3,
                MacCounter.count(SurgeryNets.globalPooling().model(), InputType.convolutional(6, 6, 1)));
        assertEquals(6 * 5 + 6 * 4 + 9 * 6 + 6 * 3, MacCounter.count(SurgeryNets.merge().model(), InputType.feedForward(6)));

        Network net = SurgeryNets.cnn();
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(net.model(), "test"));
        MacCounter planner = MacCounter.of(graph, net.input().inputType());
        assertEquals(cnn, planner.macs());
        int conv1 = graph.groupOf("conv1").id();
        int conv2 = graph.groupOf("conv2").id();
        int[] widths = graph.groups().stream().mapToInt(g -> g.size()).toArray();
        widths[conv1] = 3;
        widths[conv2] = 2;
        Network smaller = IndexPlan.of(Map.of(conv1, IndexMap.keep(4, new int[] {0, 1, 3}),
                conv2, IndexMap.keep(4, new int[] {1, 2}))).apply(graph);
        assertEquals(planner.macs(widths), MacCounter.count(smaller.model(), smaller.input().inputType()));
    }
}
