package dev.topiary.runtime.broker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Kafka's server code from ending this JVM while an {@link EmbeddedKafkaBroker} runs.
 *
 * <p>On a fatal fault (e.g. every log directory failed, or a metadata error) Kafka calls
 * {@code Exit.halt(1)} or {@code Exit.exit(1)}, which would take every Topiary service in the same
 * process down with the broker. While at least one embedded broker is registered, this guard instead
 * logs the fault, marks the brokers failed, stops them on a separate thread, and throws in the
 * calling Kafka thread so that it does not carry on. With no embedded broker registered, the default
 * behaviour (exit or halt the JVM) is kept. Kafka's {@code Exit} hooks are JVM-global; they are
 * installed once, on the first start.
 */
final class KafkaExitGuard {

    private static final Logger log = LoggerFactory.getLogger(KafkaExitGuard.class);
    private static final Set<EmbeddedKafkaBroker> RUNNING = new CopyOnWriteArraySet<>();
    private static boolean installed;

    private KafkaExitGuard() {
    }

    static void register(EmbeddedKafkaBroker broker) {
        install();
        RUNNING.add(broker);
    }

    static void unregister(EmbeddedKafkaBroker broker) {
        RUNNING.remove(broker);
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setExitProcedure((code, message) -> intercept("exit", code, message, false));
        Exit.setHaltProcedure((code, message) -> intercept("halt", code, message, true));
        installed = true;
    }

    private static void intercept(String kind, int code, String message, boolean halt) {
        List<EmbeddedKafkaBroker> brokers = List.copyOf(RUNNING);
        if (brokers.isEmpty()) {
            if (halt) {
                Runtime.getRuntime().halt(code);
            } else {
                System.exit(code);
            }
            return;
        }
        String reason = "Kafka requested " + kind + "(" + code + ")" + (message == null ? "" : ": " + message);
        log.error("{}; stopping the embedded broker instead of the JVM", reason);
        for (EmbeddedKafkaBroker broker : brokers) {
            broker.onFatalFault(reason);
            RUNNING.remove(broker);
            Thread stopper = new Thread(() -> {
                try {
                    broker.close();
                } catch (RuntimeException e) {
                    log.error("Failed to stop {} after a fatal fault", broker, e);
                }
            }, "embedded-kafka-fatal-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
        throw new IllegalStateException(reason + " (embedded broker stopped)");
    }
}
