package dev.topiary.runtime.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * Keeps a cluster free of hanging transactions: every {@link #EVERY} it runs a
 * {@link HangingTransactions} sweep and hands each transaction it aborts to a reporter, and what
 * it could not deal with to another (each trouble once, until it clears). The embedded broker runs
 * one as its own admin, which may ask about every transaction; {@code topiary hanging-transactions
 * --watch --abort} runs one against a cluster of your own, leaving open (and reporting) what its
 * client cannot be sure of.
 *
 * <p>{@link #MIN_AGE} only guards against taking a transaction that is ending for a hanging one
 * (the coordinator is asked as well): it is twice Topiary's 10 s transaction timeout, so a reader
 * held back by a hanging transaction gets past it within about 25 s, inside one artifact fetch's
 * 60 s wait.
 */
public final class HangingTransactionSweeper implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(5);
    public static final Duration MIN_AGE = Duration.ofSeconds(20);

    private final Admin admin;
    private final ScheduledExecutorService timer;
    private final HangingTransactions hanging;
    private final Consumer<HangingTransactions.Hanging> reporter;
    private final Consumer<String> trouble;
    /** What the last sweep could not deal with, null when it dealt with everything. */
    private String lastTrouble;

    private HangingTransactionSweeper(Admin admin, HangingTransactions hanging, Consumer<HangingTransactions.Hanging> reporter,
                                      Consumer<String> trouble) {
        this.admin = admin;
        this.hanging = hanging;
        this.reporter = reporter;
        this.trouble = trouble;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topiary-hanging-transactions");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts sweeping the cluster that {@code adminSettings} reach, every {@code every}, taking a
     * transaction for hanging once seen open {@code minAge} apart ({@code unknown}: what one whose
     * producer the coordinator does not know is taken for); each abort goes to {@code reporter}, a
     * sweep that failed or left something undone to {@code trouble} (once, until a sweep leaves
     * nothing undone, which is said too).
     */
    public static HangingTransactionSweeper start(Map<String, Object> adminSettings, Duration every, Duration minAge,
                                                  HangingTransactions.Unknown unknown, Consumer<HangingTransactions.Hanging> reporter,
                                                  Consumer<String> trouble) {
        Admin admin = Admin.create(adminSettings);
        HangingTransactionSweeper sweeper = new HangingTransactionSweeper(admin, new HangingTransactions(admin, minAge, unknown),
                reporter, trouble);
        sweeper.timer.scheduleWithFixedDelay(sweeper::sweepOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return sweeper;
    }

    private void sweepOnce() {
        String now;
        try {
            hanging.sweep().forEach(reporter);
            now = hanging.leftUndone();
        } catch (RuntimeException e) {
            if (timer.isShutdown()) {
                return; // closing: the sweep was interrupted, which is no trouble
            }
            now = "the sweep for hanging transactions failed: " + e.getMessage();
        }
        if (now != null && !now.equals(lastTrouble)) {
            trouble.accept(now);
        } else if (now == null && lastTrouble != null) {
            trouble.accept("the sweep for hanging transactions leaves nothing undone again");
        }
        lastTrouble = now;
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
