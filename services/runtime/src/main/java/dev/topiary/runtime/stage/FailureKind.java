package dev.topiary.runtime.stage;

import dev.topiary.runtime.artifact.ArtifactUnavailableException;
import dev.topiary.runtime.artifact.OutsideStoreException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Why a job failed, which decides what becomes of its input. The one place that sorts failures:
 * {@link #of} looks through an error's whole cause chain.
 *
 * <ul>
 *   <li>{@link #BAD_INPUT}: the input itself is wrong (undecodable, unknown schema, wrong hash,
 *       unsafe or malformed model, data that does not fit, a transformation's own refusal).
 *       Trying again cannot help: it is dead-lettered at once.
 *   <li>{@link #OUTSIDE_STORE}: the input names an artifact outside the stores this process
 *       serves; it is dead-lettered without the place being opened.
 *   <li>{@link #TRANSIENT}: something the input needs did not answer (the artifact store, the
 *       broker, a timeout, any Kafka {@link RetriableException}). Retried with backoff.
 *   <li>{@link #OUT_OF_MEMORY}: retried once, since another job may have held the memory;
 *       a second time it is dead-lettered, as the input is too large for this process.
 * </ul>
 */
public enum FailureKind {
    BAD_INPUT("bad-input"),
    OUTSIDE_STORE("outside-store"),
    TRANSIENT("transient"),
    OUT_OF_MEMORY("out-of-memory");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    /** The value of the {@code topiary.failure} dead-letter header. */
    public String label() {
        return label;
    }

    public static FailureKind of(Throwable error) {
        FailureKind kind = BAD_INPUT;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = error; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return OUT_OF_MEMORY;
            }
            if (t instanceof OutsideStoreException) {
                return OUTSIDE_STORE;
            }
            if (isTransient(t)) {
                kind = TRANSIENT;
            }
        }
        return kind;
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof ArtifactUnavailableException
                || t instanceof RetriableException
                || t instanceof TimeoutException
                || t instanceof SocketTimeoutException
                || t instanceof SocketException;
    }
}
