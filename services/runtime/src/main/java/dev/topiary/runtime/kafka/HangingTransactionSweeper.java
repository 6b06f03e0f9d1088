package dev.topiary.runtime.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a cluster free of hanging transactions: every {@link #EVERY} it runs a
 * {@link HangingTransactions} sweep and hands each transaction it aborts to a reporter. The embedded
 * broker runs one as its own admin; {@code topiary hanging-transactions --watch} runs one against a
 * cluster of your own (its admin needs to describe every topic and the cluster's transactions and
 * to write transaction markers).
 *
 * <p>{@link #MIN_AGE} only guards against taking a transaction that is ending for a hanging one
 * (the coordinator is asked as well): it is twice Topiary's 10 s transaction timeout, so a reader
 * held back by a hanging transaction gets past it within about 25 s, inside one artifact fetch's
 * 60 s wait.
 */
public final class HangingTransactionSweeper implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(5);
    public static final Duration MIN_AGE = Duration.ofSeconds(20);

    private static final Logger log = LoggerFactory.getLogger(HangingTransactionSweeper.class);

    private final Admin admin;
    private final ScheduledExecutorService timer;

    private HangingTransactionSweeper(Admin admin, ScheduledExecutorService timer) {
        this.admin = admin;
        this.timer = timer;
    }

    /**
     * Starts sweeping the cluster that {@code adminSettings} reach, every {@code every}, taking a
     * transaction for hanging once it has been open {@code minAge}; each abort goes to
     * {@code reporter}, each sweep that failed or could not see every partition to {@code trouble}
     * (the next sweep looks again).
     */
    public static HangingTransactionSweeper start(Map<String, Object> adminSettings, Duration every, Duration minAge,
                                                  Consumer<HangingTransactions.Aborted> reporter, Consumer<String> trouble) {
        Admin admin = Admin.create(adminSettings);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topiary-hanging-transactions");
            t.setDaemon(true);
            return t;
        });
        HangingTransactions hanging = new HangingTransactions(admin, minAge, System::nanoTime);
        timer.scheduleWithFixedDelay(() -> sweepOnce(hanging, reporter, trouble), every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return new HangingTransactionSweeper(admin, timer);
    }

    private static void sweepOnce(HangingTransactions hanging, Consumer<HangingTransactions.Aborted> reporter,
                                  Consumer<String> trouble) {
        try {
            hanging.sweep().forEach(reporter);
            if (!hanging.unreadable().isEmpty()) {
                trouble.accept(describeUnreadable(hanging.unreadable()));
            }
        } catch (RuntimeException e) {
            log.debug("Sweep for hanging transactions failed", e);
            trouble.accept("the sweep for hanging transactions failed: " + e.getMessage());
        }
    }

    /** "could not describe the producers of 2 partition(s) (t-0: why, t-1: why)", naming the first three. */
    public static String describeUnreadable(Map<TopicPartition, String> unreadable) {
        String some = unreadable.entrySet().stream().limit(3).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
        return "could not describe the producers of " + unreadable.size() + " partition(s) (" + some
                + (unreadable.size() > 3 ? ", ..." : "") + ")";
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
