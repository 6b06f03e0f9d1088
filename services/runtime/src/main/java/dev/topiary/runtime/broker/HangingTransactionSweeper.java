package dev.topiary.runtime.broker;

import dev.topiary.runtime.kafka.HangingTransactions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded broker free of hanging transactions: every {@link #EVERY} it runs a
 * {@link HangingTransactions} sweep and logs each transaction it aborts. The broker is the one place
 * that sees every partition, and its own admin may write transaction markers.
 *
 * <p>{@link #MIN_AGE} only guards against taking a transaction that is ending for a hanging one
 * (the coordinator is asked as well): it is twice Topiary's 10 s transaction timeout, so a reader
 * held back by a hanging transaction gets past it within about 25 s, inside one artifact fetch's
 * 60 s wait.
 */
final class HangingTransactionSweeper implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);
    static final Duration MIN_AGE = Duration.ofSeconds(20);

    private static final Logger log = LoggerFactory.getLogger(HangingTransactionSweeper.class);

    private final Admin admin;
    private final ScheduledExecutorService timer;

    private HangingTransactionSweeper(Admin admin, ScheduledExecutorService timer) {
        this.admin = admin;
        this.timer = timer;
    }

    /** Starts sweeping the cluster that {@code adminSettings} reach. */
    static HangingTransactionSweeper start(Map<String, Object> adminSettings) {
        Admin admin = Admin.create(adminSettings);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topiary-hanging-transactions");
            t.setDaemon(true);
            return t;
        });
        HangingTransactions hanging = new HangingTransactions(admin, MIN_AGE, System::nanoTime);
        timer.scheduleWithFixedDelay(() -> sweepOnce(hanging), EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return new HangingTransactionSweeper(admin, timer);
    }

    private static void sweepOnce(HangingTransactions hanging) {
        try {
            hanging.sweep().forEach(a -> log.warn("Embedded Kafka: {}", a.describe()));
        } catch (RuntimeException e) {
            // the broker is starting, stopping or busy: the next sweep looks again
            log.debug("Sweep for hanging transactions failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
