package dev.topiary.runtime.events;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Mutated event records made from real encoded ones, for the fuzz tests: truncated, bit-flipped,
 * with bytes inserted or removed, with a wrong schema fingerprint, with random bodies behind a valid
 * header, and with absurd lengths (Avro's zig-zag varints) written where a string, bytes, array or
 * map length is read. Seeded; public (runtime test-jar) so service tests send the same kinds
 * through a stage.
 */
public final class HostileEvents {

    /** The ways an event record is damaged. */
    public enum Kind { TRUNCATED, BIT_FLIP, INSERTED, DELETED, WRONG_FINGERPRINT, RANDOM_BODY, ABSURD_LENGTH, EMPTY }

    public record Mutant(Kind kind, String description, byte[] value) {}

    private static final int HEADER = 10;
    private static final long[] ABSURD = {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1L << 31, Long.MAX_VALUE / 2,
            -1, -(1L << 40), 1L << 28, 100_000_000};

    private final byte[] original;
    private final Random random;

    public HostileEvents(byte[] encoded, long seed) {
        this.original = encoded.clone();
        this.random = new Random(seed);
    }

    public Mutant next(Kind kind) {
        byte[] e = original;
        return switch (kind) {
            case TRUNCATED -> {
                int n = random.nextInt(e.length);
                yield new Mutant(kind, "first " + n + " of " + e.length + " bytes", Arrays.copyOf(e, n));
            }
            case BIT_FLIP -> {
                byte[] out = e.clone();
                int flips = 1 + random.nextInt(6);
                for (int i = 0; i < flips; i++) {
                    int at = HEADER + random.nextInt(out.length - HEADER);
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
                yield new Mutant(kind, flips + " bit(s) flipped in the body", out);
            }
            case INSERTED -> {
                int at = HEADER + random.nextInt(e.length - HEADER);
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                yield new Mutant(kind, extra.length + " bytes inserted at " + at, splice(e, at, 0, extra));
            }
            case DELETED -> {
                int at = HEADER + random.nextInt(e.length - HEADER);
                int n = 1 + random.nextInt(Math.min(16, e.length - at));
                yield new Mutant(kind, n + " bytes removed at " + at, splice(e, at, n, new byte[0]));
            }
            case WRONG_FINGERPRINT -> {
                byte[] out = e.clone();
                out[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
                yield new Mutant(kind, "fingerprint changed", out);
            }
            case RANDOM_BODY -> {
                byte[] body = new byte[random.nextInt(2048)];
                random.nextBytes(body);
                yield new Mutant(kind, body.length + " random bytes after the header",
                        splice(e, HEADER, e.length - HEADER, body));
            }
            case ABSURD_LENGTH -> {
                int at = HEADER + random.nextInt(e.length - HEADER);
                long value = ABSURD[random.nextInt(ABSURD.length)];
                yield new Mutant(kind, "varint " + value + " written at " + at, splice(e, at, 1, zigZag(value)));
            }
            case EMPTY -> new Mutant(kind, random.nextBoolean() ? "no bytes" : "the header alone",
                    random.nextBoolean() ? new byte[0] : Arrays.copyOf(e, HEADER));
        };
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(insert);
        out.write(bytes, at + remove, bytes.length - at - remove);
        return out.toByteArray();
    }

    /** Avro's encoding of a long: zig-zag, then 7 bits a byte. */
    private static byte[] zigZag(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }
}
