package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.artifact.ArtifactException;
import dev.topiary.runtime.artifact.ArtifactUnavailableException;
import dev.topiary.runtime.artifact.OutsideStoreException;
import dev.topiary.runtime.events.UndecodableEventException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Failures are sorted by their cause chain, and retried on the policy's schedule. */
class FailureKindTest {
    @Test
    void sortsFailuresByWhatCausedThem() {
        assertEquals(FailureKind.BAD_INPUT, FailureKind.of(new UndecodableEventException("not avro")));
        assertEquals(FailureKind.BAD_INPUT, FailureKind.of(new ArtifactException("corrupt: expected sha256 ...")));
        assertEquals(FailureKind.BAD_INPUT, FailureKind.of(new IllegalArgumentException("layer 'dense' cannot be pruned")));
        assertEquals(FailureKind.BAD_INPUT, FailureKind.of(new ArtifactException("cannot store", new RecordTooLargeException("big"))));
        assertEquals(FailureKind.BAD_INPUT, FailureKind.of(null));

        assertEquals(FailureKind.TRANSIENT, FailureKind.of(new TimeoutException("fetch timed out")));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(new ArtifactException("cannot store", new NotLeaderOrFollowerException("moved"))));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(new ArtifactUnavailableException("volume gone", new IOException("EIO"))));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(new RuntimeException(new ConnectException("refused"))));

        assertEquals(FailureKind.OUTSIDE_STORE, FailureKind.of(new OutsideStoreException("file:///etc/hostname")));
        assertEquals(FailureKind.OUT_OF_MEMORY, FailureKind.of(new OutOfMemoryError("Java heap space")));
        assertEquals(FailureKind.OUT_OF_MEMORY, FailureKind.of(new IllegalStateException("wrapped", new OutOfMemoryError())));
    }

    @Test
    void retriesTransientFaultsUpToTheLimitAndOutOfMemoryOnce() {
        RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(350));
        assertTrue(p.retries(FailureKind.TRANSIENT, 2));
        assertFalse(p.retries(FailureKind.TRANSIENT, 3));
        assertTrue(p.retries(FailureKind.OUT_OF_MEMORY, 0));
        assertFalse(p.retries(FailureKind.OUT_OF_MEMORY, 1));
        assertFalse(p.retries(FailureKind.BAD_INPUT, 0));
        assertFalse(p.retries(FailureKind.OUTSIDE_STORE, 0));
        assertEquals(Duration.ofMillis(100), p.backoff(0));
        assertEquals(Duration.ofMillis(200), p.backoff(1));
        assertEquals(Duration.ofMillis(350), p.backoff(2));
        assertEquals(Duration.ofMillis(350), p.backoff(30));
        long total = 0;
        for (int i = 0; i < RetryPolicy.DEFAULT.maxRetries(); i++) {
            total += RetryPolicy.DEFAULT.backoff(i).toSeconds();
        }
        assertTrue(total >= 120 && total <= 300, "the default waits a few minutes in all, not " + total + " s");
    }
}
