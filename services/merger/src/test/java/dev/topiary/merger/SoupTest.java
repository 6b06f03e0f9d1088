package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.merger.combine.Soup;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A soup of one model is that model; a soup of two is the mean of their parameters (weights
 * respected); members of different architectures are refused naming the first layer that differs.
 */
class SoupTest {
    private static final MergeSpec AVERAGE = MergeSpec.fromMap(java.util.Map.of("method", "average"));

    @Test
    void aSoupOfOneModelIsThatModel() {
        Network one = Network.of(ModelFactory.mlp(1, new int[] {12, 8, 3}));
        Network soup = Merging.apply(List.of(one), List.of(new Member("v-a", List.of())), null, AVERAGE).network();
        assertEquals(one.params(), soup.params());
    }

    @Test
    void aSoupOfTwoIsTheirWeightedMean() {
        Network a = Network.of(ModelFactory.mlp(1, new int[] {12, 8, 3}));
        Network b = Network.of(ModelFactory.mlp(2, new int[] {12, 8, 3}));
        Network mean = Soup.uniform(List.of(a, b));
        assertEquals(0, mean.params().sub(a.params().add(b.params()).div(2)).amaxNumber().doubleValue(), 1e-7);
        Network weighted = Soup.weighted(List.of(a, b), new double[] {3, 1});
        assertEquals(0, weighted.params().sub(a.params().mul(0.75).add(b.params().mul(0.25))).amaxNumber().doubleValue(), 1e-7);
    }

    @Test
    void differentArchitecturesAreRefusedNamingTheLayer() {
        Network a = Network.of(ModelFactory.mlp(1, new int[] {12, 8, 3}));
        Network b = Network.of(ModelFactory.mlp(2, new int[] {12, 6, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merging.apply(List.of(a, b),
                List.of(new Member("v-a", List.of()), new Member("v-b", List.of())), null, AVERAGE));
        assertTrue(e.getMessage().contains("model v-b differs from v-a at layer 'dense1': W has shape [12, 6], not [12, 8]"),
                e.getMessage());
    }
}
