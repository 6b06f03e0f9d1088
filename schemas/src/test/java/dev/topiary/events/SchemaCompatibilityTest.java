package dev.topiary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Every released schema version stays compatible both ways with the current one: new readers
 * read old events, and consumers still on an old schema read new events.
 */
class SchemaCompatibilityTest {
    @Test
    void currentSchemasAreCompatibleWithEveryReleasedVersion() throws IOException {
        List<Path> history = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("src/main/avro/history"), "*.avsc")) {
            files.forEach(history::add);
        }
        assertEquals(true, history.size() >= 2, "history holds the released schemas");
        for (Path old : history) {
            Schema released = new Schema.Parser().parse(old.toFile());
            Schema current = switch (released.getName()) {
                case "ModelVersion" -> ModelVersion.getClassSchema();
                case "Progress" -> Progress.getClassSchema();
                case "ModelSet" -> ModelSet.getClassSchema();
                case "Alias" -> Alias.getClassSchema();
                case "RegisteredVersion" -> RegisteredVersion.getClassSchema();
                case "DeadLetter" -> DeadLetter.getClassSchema();
                default -> throw new AssertionError("no current schema for " + old);
            };
            assertCompatible(current, released, old + ": current reads released");
            assertCompatible(released, current, old + ": released reads current");
        }
    }

    private static void assertCompatible(Schema reader, Schema writer, String what) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(), what + ": " + result.getDescription());
    }
}
