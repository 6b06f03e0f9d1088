package dev.topiary.runtime.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Events decode the way the README promises another language would: two marker bytes, the
 * schema's 8-byte little-endian CRC-64-AVRO fingerprint, then the plain Avro binary body, read
 * with nothing but the .avsc.
 */
class SingleObjectEncodingTest {
    static ModelVersion sample() {
        return ModelVersion.newBuilder()
                .setId("v-1").setParents(List.of()).setLineage("v-1").setPipeline("p").setStage("publish")
                .setOperation(new Operation(OperationKind.IMPORT, Map.of()))
                .setArtifact(new ArtifactRef("file:///tmp/x", "ab".repeat(32), 3L, ModelFormat.OPAQUE))
                .setMetrics(new Metrics("fashion-mnist", Map.of("accuracy", 0.9)))
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setProducer(new Producer("cli", "test"))
                .build();
    }

    @Test
    void anAvroLibraryDecodesAnEventWithTheAvscAlone() throws IOException {
        byte[] bytes = Events.MODEL_VERSION.encode(sample());
        Schema avsc = new Schema.Parser().parse(getClass().getResourceAsStream("/avro/ModelVersion.avsc"));

        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaNormalization.parsingFingerprint64(avsc), fingerprint);
        byte[] body = Arrays.copyOfRange(bytes, 10, bytes.length);
        GenericRecord r = new GenericDatumReader<GenericRecord>(avsc)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
        assertEquals("v-1", r.get("id").toString());
        assertEquals(0.9, ((Map<?, ?>) ((GenericRecord) r.get("metrics")).get("values")).values().iterator().next());
    }

    @Test
    void roundTripsAndRefusesGarbageWithAReason() {
        ModelVersion v = sample();
        assertEquals(v, Events.MODEL_VERSION.decode(Events.MODEL_VERSION.encode(v)));
        var e = assertThrows(UndecodableEventException.class, () -> Events.MODEL_VERSION.decode("hello".getBytes()));
        assertTrue(e.getMessage().contains("not an Avro single-object encoded event"), e.getMessage());
        byte[] unknown = Events.MODEL_VERSION.encode(v);
        unknown[5] ^= 0x55; // another schema's fingerprint
        var u = assertThrows(UndecodableEventException.class, () -> Events.MODEL_VERSION.decode(unknown));
        assertTrue(u.getMessage().contains("unknown schema"), u.getMessage());
        assertArrayEquals(Events.MODEL_VERSION.encode(v), Events.MODEL_VERSION.encode(v));
    }
}
