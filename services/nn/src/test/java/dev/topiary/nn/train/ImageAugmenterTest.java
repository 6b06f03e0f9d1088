package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageAugmenterTest {
    private static final int[] TWO_BY_FOUR = {1, 2, 4};

    /** Rows of a 2 x 4 image whose pixels are 1..8, so every move is visible in the values. */
    private static INDArray rows(int count, DataType type) {
        INDArray buffer = Nd4j.create(type, count, 8);
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < 8; i++) {
                buffer.putScalar(r, i, i + 1);
            }
        }
        return buffer;
    }

    @Test
    void aFlipMirrorsEachLineOfTheImagesItChanges() {
        INDArray buffer = rows(64, DataType.FLOAT);
        new ImageAugmenter(new Augmentation(true, 0), TWO_BY_FOUR, buffer, 7).apply(64);
        int flipped = 0;
        for (int r = 0; r < 64; r++) {
            float[] row = buffer.getRow(r).toFloatVector();
            if (row[0] == 1) {
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, row, "kept as it was");
            } else {
                assertArrayEquals(new float[] {4, 3, 2, 1, 8, 7, 6, 5}, row, "each line mirrored, not the lines swapped");
                flipped++;
            }
        }
        assertTrue(flipped > 16 && flipped < 48, "about half the rows flipped, got " + flipped);
    }

    @Test
    void aShiftMovesTheImageAndFillsTheBorderWithZero() {
        INDArray buffer = rows(200, DataType.FLOAT);
        new ImageAugmenter(new Augmentation(false, 1), TWO_BY_FOUR, buffer, 3).apply(200);
        Set<String> seen = new HashSet<>();
        for (int r = 0; r < 200; r++) {
            float[] row = buffer.getRow(r).toFloatVector();
            seen.add(Arrays.toString(row));
        }
        // one to the right and one down: the top line empty, the first column empty
        assertTrue(seen.contains(Arrays.toString(new float[] {0, 0, 0, 0, 0, 1, 2, 3})), seen.toString());
        // one to the left, not moved vertically
        assertTrue(seen.contains(Arrays.toString(new float[] {2, 3, 4, 0, 6, 7, 8, 0})), seen.toString());
        assertTrue(seen.contains(Arrays.toString(new float[] {1, 2, 3, 4, 5, 6, 7, 8})), seen.toString());
        assertEquals(9, seen.size(), "every move of -1..1 on both axes, each a different image");
    }

    @Test
    void aFlipAndAShiftTogetherGiveEveryMoveOfBothTheImageAndItsMirror() {
        INDArray buffer = rows(400, DataType.FLOAT);
        new ImageAugmenter(new Augmentation(true, 1), TWO_BY_FOUR, buffer, 11).apply(400);
        Set<String> seen = new HashSet<>();
        for (int r = 0; r < 400; r++) {
            seen.add(Arrays.toString(buffer.getRow(r).toFloatVector()));
        }
        // the mirror (4 3 2 1 / 8 7 6 5) moved one to the right, and the image itself moved one down
        assertTrue(seen.contains(Arrays.toString(new float[] {0, 4, 3, 2, 0, 8, 7, 6})), seen.toString());
        assertTrue(seen.contains(Arrays.toString(new float[] {0, 0, 0, 0, 1, 2, 3, 4})), seen.toString());
        assertEquals(18, seen.size(), "nine moves, each of the image and of its mirror");
    }

    @Test
    void onlyTheBatchRowsChangeAndTheSameSeedChangesThemAlike() {
        INDArray a = rows(10, DataType.FLOAT);
        INDArray b = rows(10, DataType.FLOAT);
        new ImageAugmenter(new Augmentation(true, 1), TWO_BY_FOUR, a, 5).apply(6);
        new ImageAugmenter(new Augmentation(true, 1), TWO_BY_FOUR, b, 5).apply(6);
        assertEquals(a, b);
        for (int r = 6; r < 10; r++) {
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, a.getRow(r).toFloatVector(), "row past the batch: untouched");
        }
        INDArray c = rows(10, DataType.FLOAT);
        new ImageAugmenter(new Augmentation(true, 1), TWO_BY_FOUR, c, 6).apply(6);
        assertNotEquals(a, c, "another seed, other changes");
    }

    @Test
    void doubleBuffersChangeAsFloatOnesDo() {
        INDArray floats = rows(20, DataType.FLOAT);
        INDArray doubles = rows(20, DataType.DOUBLE);
        new ImageAugmenter(new Augmentation(true, 1), TWO_BY_FOUR, floats, 9).apply(20);
        new ImageAugmenter(new Augmentation(true, 1), TWO_BY_FOUR, doubles, 9).apply(20);
        assertEquals(floats, doubles.castTo(DataType.FLOAT));
    }

    @Test
    void rowsThatAreNotThatImageAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageAugmenter(new Augmentation(true, 0), new int[] {1, 3, 3}, rows(2, DataType.FLOAT), 1));
        assertTrue(e.getMessage().contains("1x3x3"), e.getMessage());
    }

    @Test
    void theTextFormReadsBackAndNamesWhatItCannotRead() {
        assertEquals(new Augmentation(true, 2), Augmentation.parse("flip, shift:2"));
        assertEquals(new Augmentation(false, 3), Augmentation.parse("SHIFT:3"));
        assertEquals(Augmentation.NONE, Augmentation.parse("none"));
        assertEquals("flip,shift:2", new Augmentation(true, 2).toString());
        assertEquals(new Augmentation(true, 2), Augmentation.parse(new Augmentation(true, 2).toString()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("rotate")).getMessage()
                .contains("'rotate'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("shift:9")).getMessage()
                .contains("1 to 8"));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("flip,flip"));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("shift:x"));
    }
}
