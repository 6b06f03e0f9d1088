package dev.topiary.cli;

import dev.topiary.runtime.kafka.HangingTransactionSweeper;
import dev.topiary.runtime.kafka.HangingTransactions;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The embedded broker's hanging-transaction sweep ({@link HangingTransactions}), for a cluster of
 * your own: a transaction left open on a partition that its coordinator does not know holds every
 * read_committed reader of that partition back for good, and no timeout ends it. It looks twice,
 * {@code --min-age} apart, and lists them, or with {@code --abort} ends them; {@code --watch --abort}
 * keeps sweeping, as the embedded broker does.
 *
 * <p>A transaction whose producer no coordinator knows is left open and reported apart
 * ({@link HangingTransactions.Unknown#UNSURE}): Kafka leaves out of its answer the transactional ids
 * this client may not describe, so a live transaction would look the same. What it left undone is
 * said on stderr (once: exit 1, as it could not finish, a partition not described at either look
 * included; watching: once each until it clears). Topics the client may not Describe are not listed
 * to it at all, so they go unseen and unsaid.
 */
@Command(name = "hanging-transactions", mixinStandardHelpOptions = true,
        description = "List hanging transactions (open on a partition whose transaction coordinator does not know them, which hold"
                + " read_committed readers back for good), looking twice --min-age apart; --abort ends them, --watch --abort keeps"
                + " sweeping.")
final class HangingTransactionsCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Option(names = "--abort", description = "end the hanging transactions found with an abort marker (default: only list them)")
    boolean abort;

    @Option(names = "--watch", description = "with --abort: keep sweeping (every 5 s, as the embedded broker does) until stopped,"
            + " printing each abort")
    boolean watch;

    @Option(names = "--min-age", paramLabel = "SECONDS", description = "a transaction counts once seen open this far apart"
            + " (default: 20, twice Topiary's transaction timeout; at least 1)")
    long minAgeSeconds = HangingTransactionSweeper.MIN_AGE.toSeconds();

    @Override
    public Integer call() throws Exception {
        if (minAgeSeconds < 1) {
            throw new UserError("--min-age must be at least 1 second, got " + minAgeSeconds);
        }
        if (watch && !abort) {
            throw new UserError("--watch aborts as it sweeps: give --abort too (without it, run once to list)");
        }
        Duration minAge = Duration.ofSeconds(minAgeSeconds);
        KafkaSettings settings = connection.connect(false);
        PrintStream out = System.out;
        if (watch) {
            return watch(settings, minAge, out);
        }
        try (Admin admin = Admin.create(settings.admin())) {
            HangingTransactions hanging = new HangingTransactions(admin, minAge, HangingTransactions.Unknown.UNSURE);
            System.err.println("looking at every partition twice, " + minAgeSeconds + " s apart");
            hanging.find(); // the first look only notes what is open
            Set<TopicPartition> seenOnce = new HashSet<>(hanging.missed().keySet()); // not described at the first look
            Thread.sleep(minAge.toMillis());
            List<HangingTransactions.Hanging> found = abort ? hanging.sweep() : hanging.find();
            found.forEach(h -> out.println((abort ? "aborted " : "found ") + h.describe()));
            out.println(found.isEmpty() ? "no hanging transaction found"
                    : abort ? "aborted " + found.size() + " hanging transaction(s)"
                    : "found " + found.size() + " hanging transaction(s); --abort ends them");
            String undone = hanging.leftUndone();
            seenOnce.removeAll(hanging.missed().keySet()); // those missed again are named by leftUndone
            if (!seenOnce.isEmpty()) { // their transactions could not be two looks old
                undone = (undone == null ? "" : undone + "; ") + "could not describe " + seenOnce.size()
                        + " partition(s) at the first look, so saw them once only ("
                        + HangingTransactions.firstThree(seenOnce.stream().map(Object::toString).toList(), ", ") + ")";
            }
            if (undone != null) { // "none found" must not hide what it could not look into or be sure of
                System.err.println("but it " + undone);
                return 1;
            }
        }
        return 0;
    }

    /** Sweeps until the process is stopped (its shutdown hook closes the sweeper) or this thread is interrupted. */
    private static int watch(KafkaSettings settings, Duration minAge, PrintStream out) {
        HangingTransactionSweeper sweeper = HangingTransactionSweeper.start(settings.admin(), HangingTransactionSweeper.EVERY, minAge,
                HangingTransactions.Unknown.UNSURE,
                h -> {
                    out.println("aborted " + h.describe());
                    out.flush();
                },
                System.err::println);
        Thread hook = new Thread(sweeper::close, "topiary-hanging-transactions-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("sweeping every " + HangingTransactionSweeper.EVERY.toSeconds() + " s until stopped (Ctrl-C)");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            sweeper.close();
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
