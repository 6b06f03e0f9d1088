package dev.topiary.nn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneOfTest {
    @Test
    void anAllowedValuePassesAndAnyOtherIsNamedWithEveryChoice() {
        assertEquals(Optional.empty(), OneOf.problem("--init", List.of("copy", "fresh"), "fresh"));
        assertEquals(Optional.of("--init is copy or fresh, got sideways"), OneOf.problem("--init", List.of("copy", "fresh"), "sideways"));
        assertEquals(Optional.of("--only is mlp, cnn or resmlp, got x"), OneOf.problem("--only", List.of("mlp", "cnn", "resmlp"), "x"));
        assertEquals(Optional.of("--only is mlp, got cnn"), OneOf.problem("--only", List.of("mlp"), "cnn"));
        assertThrows(IllegalArgumentException.class, () -> OneOf.problem("--only", List.of(), "x"));
    }
}
