package dev.topiary.cli;

import dev.topiary.runtime.kafka.HangingTransactionSweeper;
import dev.topiary.runtime.kafka.HangingTransactions;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The embedded broker's hanging-transaction sweep ({@link HangingTransactions}), for a cluster of
 * your own: a transaction left open on a partition that its coordinator does not know holds every
 * read_committed reader of that partition back for good, and no timeout ends it. Once: looks, waits
 * {@code --min-age}, looks again and aborts what was open both times and that the coordinator does
 * not know; {@code --watch}: keeps sweeping until stopped, as the embedded broker does. Partitions
 * it could not describe are named (once: exit 1, as it could not look everywhere; watching: on
 * stderr at each sweep).
 */
@Command(name = "hanging-transactions", mixinStandardHelpOptions = true,
        description = "Find and abort hanging transactions (open on a partition whose transaction coordinator does not know them),"
                + " which hold read_committed readers back for good. Looks twice, --min-age apart; --watch keeps sweeping.")
final class HangingTransactionsCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Option(names = "--watch", description = "keep sweeping (every 5 s, as the embedded broker does) until stopped, printing each abort")
    boolean watch;

    @Option(names = "--min-age", paramLabel = "SECONDS", description = "a transaction counts as hanging once seen open this long"
            + " (default: 20, twice Topiary's transaction timeout; at least 1)")
    long minAgeSeconds = HangingTransactionSweeper.MIN_AGE.toSeconds();

    @Override
    public Integer call() throws Exception {
        if (minAgeSeconds < 1) {
            throw new UserError("--min-age must be at least 1 second, got " + minAgeSeconds);
        }
        Duration minAge = Duration.ofSeconds(minAgeSeconds);
        KafkaSettings settings = connection.connect(false);
        PrintStream out = System.out;
        if (watch) {
            return watch(settings, minAge, out);
        }
        List<HangingTransactions.Aborted> aborted = new ArrayList<>();
        Map<TopicPartition, String> unseen;
        try (Admin admin = Admin.create(settings.admin())) {
            HangingTransactions hanging = new HangingTransactions(admin, minAge, System::nanoTime);
            System.err.println("looking at every partition twice, " + minAgeSeconds + " s apart");
            aborted.addAll(hanging.sweep()); // the first look only notes what is open
            Thread.sleep(minAge.toMillis());
            aborted.addAll(hanging.sweep());
            unseen = hanging.unreadable();
        }
        aborted.forEach(a -> out.println(a.describe()));
        out.println(aborted.isEmpty() ? "no hanging transaction found" : "aborted " + aborted.size() + " hanging transaction(s)");
        if (!unseen.isEmpty()) { // "none found" must not hide that it could not look everywhere
            System.err.println("but it " + HangingTransactionSweeper.describeUnreadable(unseen) + "; run it again, or give its client"
                    + " Read on those topics");
            return 1;
        }
        return 0;
    }

    /** Sweeps until the process is stopped (its shutdown hook closes the sweeper) or this thread is interrupted. */
    private static int watch(KafkaSettings settings, Duration minAge, PrintStream out) {
        HangingTransactionSweeper sweeper = HangingTransactionSweeper.start(settings.admin(), HangingTransactionSweeper.EVERY, minAge,
                a -> {
                    out.println(a.describe());
                    out.flush();
                },
                onceEach(System.err::println));
        Thread hook = new Thread(sweeper::close, "topiary-hanging-transactions-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("sweeping every " + HangingTransactionSweeper.EVERY.toSeconds() + " s until stopped (Ctrl-C)");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            sweeper.close();
        }
        return 0;
    }

    /** Passes a message on unless it is the one passed last: a trouble that lasts is said once, not every sweep. */
    static Consumer<String> onceEach(Consumer<String> target) {
        String[] last = {null};
        return message -> {
            if (!message.equals(last[0])) {
                target.accept(message);
            }
            last[0] = message;
        };
    }
}
