package dev.topiary.nn.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.model.ModelFactory;
import org.junit.jupiter.api.Test;

class InputCompatibilityTest {

    private final Dataset fashion = DatasetCatalog.resolve("fashion-mnist-small?train=100&test=100");

    @Test
    void matchingModelsPass() {
        assertDoesNotThrow(() -> InputCompatibility.check(ModelFactory.mlp(784, 32, 10), fashion));
        assertDoesNotThrow(() -> InputCompatibility.check(ModelFactory.cnn(1), fashion));
        assertDoesNotThrow(() -> InputCompatibility.check(ModelFactory.cnn(1, true), fashion));
        assertDoesNotThrow(() -> InputCompatibility.check(ModelFactory.resmlp(784, 16, 2, 10, 1), fashion));
        // more outputs than classes is allowed: the extra outputs are never the right answer
        assertDoesNotThrow(() -> InputCompatibility.check(ModelFactory.mlp(784, 12), fashion));
    }

    @Test
    void wrongInputSizeNamesBothNumbers() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> InputCompatibility.check(ModelFactory.mlp(64, 32, 10), fashion));
        assertTrue(e.getMessage().contains("expects 64 inputs") && e.getMessage().contains("has 784 features")
                && e.getMessage().contains(fashion.name()), e.getMessage());

        DatasetException graph = assertThrows(DatasetException.class,
                () -> InputCompatibility.check(ModelFactory.resmlp(100, 16, 1, 10, 1), fashion));
        assertTrue(graph.getMessage().contains("expects 100 inputs"), graph.getMessage());

        DatasetException cnn = assertThrows(DatasetException.class,
                () -> InputCompatibility.check(ModelFactory.cnn(32, 32, 1, 10, 1, false), fashion));
        assertTrue(cnn.getMessage().contains("expects 1024 inputs"), cnn.getMessage());
    }

    @Test
    void tooFewOutputsNamesBothNumbers() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> InputCompatibility.check(ModelFactory.mlp(784, 32, 5), fashion));
        assertTrue(e.getMessage().contains("5 outputs") && e.getMessage().contains("10 classes"), e.getMessage());
    }
}
