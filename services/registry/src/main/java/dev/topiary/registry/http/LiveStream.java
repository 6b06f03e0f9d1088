package dev.topiary.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.registry.state.Change;
import dev.topiary.registry.state.RegistryState;
import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-sent-event stream of news ({@code GET /api/events}): events {@code version},
 * {@code deadletter}, {@code progress} and {@code alias}, each with the same JSON as the API gives.
 * Events are sent from one thread of its own, so a slow browser never holds up Kafka Streams'
 * global thread, which announces them; a comment every 15 s finds clients that went away.
 */
final class LiveStream implements Consumer<Change>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    private final RegistryState state;
    private final ObjectMapper json;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-live");
        t.setDaemon(true);
        return t;
    });

    LiveStream(RegistryState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
        sender.scheduleAtFixedRate(() -> send("comment", null), 15, 15, TimeUnit.SECONDS);
        state.addListener(this);
    }

    void join(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        sender.execute(() -> sendTo(client, "hello", Map.of("versions", state.versionCount())));
    }

    @Override
    public void accept(Change change) {
        if (change instanceof Change.NewVersion v) {
            send("version", ApiJson.summary(v.entry(), state));
        } else if (change instanceof Change.NewDeadLetter d) {
            send("deadletter", ApiJson.deadLetter(d.letter()));
        } else if (change instanceof Change.JobProgress p) {
            send("progress", p.progress() == null ? Map.of("jobId", p.jobId(), "state", "ENDED") : ApiJson.progress(p.progress()));
        } else if (change instanceof Change.AliasChanged a) {
            send("alias", a.alias() == null ? Map.of("name", a.name(), "removed", true) : ApiJson.alias(a.alias()));
        }
    }

    private void send(String event, Object body) {
        if (sender.isShutdown()) {
            return;
        }
        sender.execute(() -> clients.forEach(c -> sendTo(c, event, body)));
    }

    private void sendTo(SseClient client, String event, Object body) {
        try {
            if (client.terminated()) {
                clients.remove(client);
            } else if (body == null) {
                client.sendComment("keep-alive");
            } else {
                client.sendEvent(event, json.writeValueAsString(body));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            log.debug("dropping live client: {}", e.toString());
            clients.remove(client);
        }
    }

    @Override
    public void close() {
        state.removeListener(this);
        sender.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
