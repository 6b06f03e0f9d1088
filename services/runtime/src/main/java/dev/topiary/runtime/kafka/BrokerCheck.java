package dev.topiary.runtime.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Waits for the cluster to answer before a command starts its work, saying so when it does not.
 * Kafka's clients retry an unreachable broker silently for a minute or more; a user deserves to
 * hear within seconds which address was tried and why it failed (connection refused or an unknown
 * host, known at once from a plain TCP connect; or, after a 3 s attempt, a port that accepts
 * connections but speaks no Kafka, e.g. TLS settings that do not match), then either see it keep
 * trying or get that reason as the command's error.
 */
public final class BrokerCheck {
    private static final Duration ATTEMPT = Duration.ofSeconds(3);
    private static final Duration REPEAT = Duration.ofSeconds(30);

    private BrokerCheck() {}

    /**
     * Returns once a broker answers. Until then {@code say} hears, after the first failed attempt
     * (at once for a refused connection, 3 s for a silent port) and every 30 s, which address was tried and why it failed. With {@code giveUpAfter} null it
     * tries forever; otherwise it throws {@link IllegalStateException} with the reason.
     */
    public static void await(KafkaSettings settings, Duration giveUpAfter, Consumer<String> say) {
        Map<String, Object> config = settings.admin();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis());
        long start = System.nanoTime();
        long nextWord = 0;
        try (Admin admin = Admin.create(config)) {
            while (true) {
                // a refused connection is known at once; only an open port needs Kafka's answer
                String reason = refusedEverywhere(settings.bootstrap());
                if (reason == null) {
                    try {
                        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) ATTEMPT.toMillis())).nodes().get();
                        if (nextWord != 0) {
                            say.accept("reached Kafka at " + settings.bootstrap());
                        }
                        return;
                    } catch (ExecutionException e) {
                        reason = "the address accepts connections but no Kafka broker answered in " + ATTEMPT.toSeconds()
                                + " s (" + e.getCause().getMessage() + "; do the client settings, e.g. TLS or SASL in"
                                + " --kafka-config, match?)";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for Kafka at " + settings.bootstrap(), e);
                    }
                }
                long waited = System.nanoTime() - start;
                if (giveUpAfter != null && waited >= giveUpAfter.toNanos()) {
                    throw new IllegalStateException("cannot reach Kafka at " + settings.bootstrap() + ": " + reason
                            + " (gave up after " + Duration.ofNanos(waited).toSeconds() + " s)");
                }
                if (waited >= nextWord) {
                    say.accept("cannot reach Kafka at " + settings.bootstrap() + ": " + reason + "; "
                            + (giveUpAfter == null ? "still trying (Ctrl-C stops)"
                                    : "trying for up to " + giveUpAfter.toSeconds() + " s"));
                    nextWord = waited + REPEAT.toNanos();
                }
                sleep(500);
            }
        }
    }

    /**
     * What each bootstrap address says to a plain TCP connection, which names the cause Kafka's
     * timeout hides (connection refused, unknown host); null when any of them accepts one.
     */
    static String refusedEverywhere(String bootstrap) {
        List<String> reasons = new ArrayList<>();
        for (String address : bootstrap.split(",")) {
            String a = address.trim();
            int colon = a.lastIndexOf(':');
            if (colon < 0) {
                reasons.add(a + ": no port");
                continue;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))), 2000);
                return null;
            } catch (IOException | IllegalArgumentException e) {
                reasons.add(a + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return reasons.size() == 1 ? reasons.get(0).substring(reasons.get(0).indexOf(": ") + 2) : String.join("; ", reasons);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
