package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainBenchmarkResultTest {
    private final TrainBenchmarkResult result = new TrainBenchmarkResult("train", "mlp-784-300-100-10", 10, 128,
            "fashion-mnist", 60000, 266200, 1.2, 50000, 0.89, 2e11, 8e10, 0.4, "dense", 1, 0.48, Double.NaN);

    @Test
    void jsonHasTheKeysTheRecordsCompare() throws Exception {
        JsonNode json = new ObjectMapper().readTree(result.toJson());
        for (String key : new String[] {"benchmark", "epochs", "batchSize", "secondsPerEpoch", "samplesPerSecond",
                "testAccuracy", "gemmFlops", "trainFlops", "efficiency"}) {
            assertTrue(json.has(key), key);
        }
        assertEquals("train", json.get("benchmark").asText());
        assertEquals(0.4, json.get("efficiency").asDouble());
        assertTrue(json.get("dl4jFitSecondsPerEpoch").isNull(), "NaN is written as null");
    }

    @Test
    void tableShowsEfficiencyAndAccuracy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("efficiency           0.400"), table);
        assertTrue(table.contains("test accuracy        0.8900"), table);
    }
}
