package dev.topiary.runtime.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Encodes events with Avro single-object encoding (marker C3 01, the writer schema's 8-byte
 * CRC-64-AVRO fingerprint, then the binary body), so any Avro library can decode a record given
 * the {@code .avsc} alone: no schema registry server is needed.
 *
 * <p>The decoder also knows every released version of the schema (kept under {@code avro/history}
 * on the classpath), so records written by an older Topiary stay readable.
 */
public final class AvroEventCodec<T extends SpecificRecord> {
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroEventCodec(Schema current, List<String> historyResources) {
        SpecificData model = SpecificData.getForSchema(current);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current);
        for (String resource : historyResources) {
            decoder.addSchema(readSchema(resource));
        }
    }

    public byte[] encode(T event) {
        try {
            ByteBuffer buffer = encoder.encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes one record; throws {@link UndecodableEventException} saying why it could not. */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new UndecodableEventException("record has no value (null)");
        }
        try {
            return decoder.decode(bytes);
        } catch (org.apache.avro.message.MissingSchemaException e) {
            throw new UndecodableEventException("unknown schema: " + e.getMessage(), e);
        } catch (org.apache.avro.message.BadHeaderException e) {
            throw new UndecodableEventException("not an Avro single-object encoded event: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableEventException("undecodable event body: " + e, e);
        }
    }

    /**
     * This codec as a Kafka {@link Serde}, for clients and Kafka Streams applications; a null value
     * (a tombstone) stays null, as Kafka's own serdes do.
     */
    public Serde<T> serde() {
        return Serdes.serdeFrom((topic, event) -> event == null ? null : encode(event),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    public static Schema readSchema(String resource) {
        try (InputStream in = AvroEventCodec.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from classpath: " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
