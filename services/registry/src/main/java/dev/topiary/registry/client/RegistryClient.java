package dev.topiary.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.events.VersionJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client of the registry's HTTP API, for the CLI ({@code topiary versions}, {@code best},
 * {@code promote}, {@code pull}), the benchmark and tests. An error answer becomes a
 * {@link RegistryException} carrying the registry's own message.
 */
public final class RegistryClient {
    /** Where {@code topiary up} puts the registry unless told otherwise. */
    public static final String DEFAULT_URL = "http://127.0.0.1:7070";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RegistryClient(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String url() {
        return base;
    }

    /** One answer as it came: status and body. */
    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new RegistryException("the registry answered " + status + " with something that is not JSON: "
                        + text().substring(0, Math.min(200, text().length())));
            }
        }
    }

    /** GET {@code pathAndQuery} (e.g. {@code /api/versions?lineage=v-1}), whatever the status. */
    public Response get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body());
        } catch (ConnectException e) {
            throw new RegistryException("cannot reach the registry at " + base
                    + " (is `topiary up` running? another registry: --registry URL)");
        } catch (IOException e) {
            throw new RegistryException("registry at " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while asking the registry");
        }
    }

    /** GET, expecting 200 and JSON; anything else throws with the registry's message. */
    public JsonNode json(String pathAndQuery) {
        return ok(get(pathAndQuery));
    }

    /** The answer's JSON when it is a 200; anything else throws with the registry's message. */
    private static JsonNode ok(Response r) {
        if (r.status() != 200) {
            throw failure(r);
        }
        return r.json();
    }

    /**
     * Every version, or those of one lineage (given by its id, or any version id or alias in it),
     * oldest first (without per-layer architecture); a lineage the registry does not know is an error.
     */
    public List<ModelVersion> versions(String lineage) {
        return parseVersions(json("/api/versions" + (lineage == null ? "" : "?lineage=" + encode(lineage))));
    }

    /** The versions of a lineage registered so far: none while the registry has not seen it, as a registry a moment behind has not. */
    public List<ModelVersion> versionsSoFar(String lineage) {
        Response r = get("/api/versions?lineage=" + encode(lineage));
        return r.status() == 404 ? List.of() : parseVersions(ok(r));
    }

    private static List<ModelVersion> parseVersions(JsonNode answer) {
        List<ModelVersion> out = new ArrayList<>();
        answer.path("versions").forEach(v -> out.add(VersionJson.parse(v)));
        return out;
    }

    /** One version by id or alias, with its architecture. */
    public ModelVersion version(String idOrAlias) {
        return VersionJson.parse(json("/api/versions/" + encode(idOrAlias)));
    }

    /** The alias names the registry resolves now, each with the version it names. */
    public Map<String, String> aliases() {
        Map<String, String> out = new TreeMap<>();
        json("/api/aliases").path("aliases").forEach(a -> out.put(a.path("name").asText(), a.path("versionId").asText()));
        return out;
    }

    /** The answer of {@code /api/best}: {@code version}, {@code reference}, {@code accuracyDrop}, ... */
    public JsonNode best(String lineage, String minimize, double maxAccuracyDrop) {
        return json("/api/best?lineage=" + encode(lineage) + "&minimize=" + encode(minimize)
                + "&maxAccuracyDrop=" + String.format(Locale.ROOT, "%s", maxAccuracyDrop));
    }

    /** A version's artifact as the registry serves it (verified there; verify again against the event's hash). */
    public byte[] artifact(String id) {
        Response r = get("/api/versions/" + encode(id) + "/artifact");
        if (r.status() != 200) {
            throw failure(r);
        }
        return r.body();
    }

    private static RegistryException failure(Response r) {
        String message;
        try {
            message = r.json().path("error").asText(r.text());
        } catch (RegistryException notJson) {
            message = r.text();
        }
        return new RegistryException("registry answered " + r.status() + ": " + message);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
