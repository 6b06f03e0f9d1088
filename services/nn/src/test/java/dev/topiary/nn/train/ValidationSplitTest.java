package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {
    @Test
    void holdsOutTheFractionDisjointlyAndRepeatablyForASeed() {
        ValidationSplit split = ValidationSplit.of(1000, 0.1, 42);
        assertEquals(100, split.validationRows().length);
        assertEquals(900, split.trainRows().length);
        int[] all = IntStream.concat(Arrays.stream(split.trainRows()), Arrays.stream(split.validationRows())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), all);
        assertArrayEquals(split.validationRows(), ValidationSplit.of(1000, 0.1, 42).validationRows());
        assertFalse(Arrays.equals(split.validationRows(), ValidationSplit.of(1000, 0.1, 43).validationRows()));
    }

    @Test
    void noFractionTrainsOnEverything() {
        ValidationSplit split = ValidationSplit.of(10, 0, 1);
        assertFalse(split.hasValidation());
        assertArrayEquals(IntStream.range(0, 10).toArray(), split.trainRows());
    }

    @Test
    void refusesToHoldOutEveryRow() {
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(1, 0.5, 1));
    }
}
