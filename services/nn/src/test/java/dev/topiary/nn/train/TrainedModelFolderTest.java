package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kept network is trained once and loaded after, with the weights it was trained to; other epochs or data train again. */
class TrainedModelFolderTest {
    @TempDir
    Path folder;

    @Test
    void aKeptNetworkIsLoadedInsteadOfTrainedAgain() throws Exception {
        Dataset data = TrainingFixtures.data().limit(320, 64);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        AtomicInteger built = new AtomicInteger();
        TrainedModelFolder kept = new TrainedModelFolder(data, folder, out);

        Model trained = kept.get("mlp-s7", () -> count(built), 1);
        Model loaded = kept.get("mlp-s7", () -> count(built), 1);
        assertEquals(1, built.get(), "the second call loads: " + log);
        assertEquals(trained.params(), loaded.params());
        try (var files = Files.list(folder)) {
            assertTrue(files.allMatch(f -> f.getFileName().toString().endsWith(".zip")), "no partial file is left behind");
        }

        kept.get("mlp-s7", () -> count(built), 2);
        new TrainedModelFolder(data.limit(160, 64), folder, out).get("mlp-s7", () -> count(built), 1);
        assertEquals(3, built.get(), "other epochs and other rows are other networks");

        new TrainedModelFolder(data, null, out).get("mlp-s7", () -> count(built), 1);
        assertEquals(4, built.get(), "without a folder every call trains");
        assertFalse(log.toString(StandardCharsets.UTF_8).isEmpty());
    }

    private static Model count(AtomicInteger built) {
        built.incrementAndGet();
        return TrainingFixtures.mlp(7);
    }
}
