package dev.topiary.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.registry.query.BestVersion;
import dev.topiary.registry.query.CostMetric;
import dev.topiary.registry.query.Frontier;
import dev.topiary.registry.query.LineageGraph;
import dev.topiary.registry.state.RegistryState;
import dev.topiary.registry.state.VersionEntry;
import dev.topiary.runtime.artifact.ArtifactException;
import dev.topiary.runtime.artifact.ArtifactStore;
import dev.topiary.runtime.metrics.MetricNames;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP API and web page, on Javalin (Jetty). Every answer comes from this
 * instance's {@link RegistryState}, which holds every version, so any instance answers any request.
 * Errors are JSON: {@code {"error": "...", "parameter": "..."}} with 400 for a bad parameter
 * (named) and 404 for an unknown id.
 *
 * <pre>
 * GET /api/versions?lineage=&amp;stage=&amp;topic=        versions, oldest first, without architecture (lineage: its id, or a version id or alias in it)
 * GET /api/versions/{id}                            one version (id or alias): event, metrics, changes, architecture
 * GET /api/versions/{id}/artifact                   its artifact's bytes, verified against the SHA-256
 * GET /api/lineages                                 every lineage with its size and best accuracy
 * GET /api/lineage/{id}                             the DAG of a lineage (or of the lineage of a version or alias)
 * GET /api/frontier?x=&amp;y=accuracy&amp;dataset=&amp;lineage=  the Pareto-optimal versions, one frontier per data set
 * GET /api/best?minimize=&amp;maxAccuracyDrop=&amp;lineage=   the cheapest version within the accuracy budget
 * GET /api/deadletters                              counts per stage with the latest reason, and the newest letters
 * GET /api/progress                                 running jobs
 * GET /api/aliases                                  names of versions
 * GET /api/events                                   server-sent events: version, deadletter, progress, alias
 * </pre>
 */
public final class RegistryApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryApi.class);

    private final RegistryState state;
    private final ArtifactStore artifacts;
    private final LiveStream live;
    private final WebAssets assets = new WebAssets();
    private final Javalin app;
    /** A frontier over every version sorts them all; pages and scripts ask the same few again and again. */
    private final DerivedCache frontiers;

    private RegistryApi(RegistryState state, ArtifactStore artifacts, String host, int port) {
        this.state = state;
        this.artifacts = artifacts;
        ObjectMapper json = JavalinJackson.defaultMapper();
        this.live = new LiveStream(state, json);
        this.frontiers = new DerivedCache(state::versionChanges, 256);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.jetty.host = host;
            config.jetty.port = port;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.routes.get("/lib/{name}", assets::serve);
            config.routes.get("/api/health", this::health);
            config.routes.get("/api/versions", this::versions);
            config.routes.get("/api/versions/{id}", this::version);
            config.routes.get("/api/versions/{id}/artifact", this::artifact);
            config.routes.get("/api/lineages", this::lineages);
            config.routes.get("/api/lineage/{id}", this::lineage);
            config.routes.get("/api/frontier", this::frontier);
            config.routes.get("/api/best", this::best);
            config.routes.get("/api/deadletters", this::deadLetters);
            config.routes.get("/api/progress", this::progress);
            config.routes.get("/api/aliases", this::aliases);
            config.routes.sse("/api/events", live::join);
            config.routes.exception(ApiException.class, (e, ctx) ->
                    ctx.status(e.status).json(ApiJson.error(e.getMessage(), e.parameter)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.warn("registry API: {} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(ApiJson.error("internal error: " + e, null));
            });
        });
        app.start();
    }

    /** Starts serving; port 0 picks a free one (see {@link #port}). */
    public static RegistryApi start(RegistryState state, ArtifactStore artifacts, String host, int port) {
        return new RegistryApi(state, artifacts, host, port);
    }

    public int port() {
        return app.port();
    }

    private void health(Context ctx) {
        QueryParams.of(ctx, Set.of());
        ctx.json(Map.of("status", "ok", "versions", state.versionCount(), "lineages", state.lineageIds().size(),
                "deadLetters", state.deadLetterCount()));
    }

    private void versions(Context ctx) {
        QueryParams q = QueryParams.of(ctx, Set.of("lineage", "stage", "topic"));
        String lineageParam = q.text("lineage");
        String lineage = lineageParam == null ? null : lineageOf(lineageParam, "lineage");
        String stage = q.text("stage");
        String topic = q.text("topic");
        Collection<VersionEntry> pool = lineage == null ? state.versions() : state.lineage(lineage);
        List<VersionEntry> chosen = pool.stream()
                .filter(v -> stage == null || stage.equals(v.version().getStage()))
                .filter(v -> topic == null || topic.equals(v.topic()))
                .sorted(OLDEST_FIRST)
                .toList();
        ctx.json(Map.of("count", chosen.size(), "versions", ApiJson.summaries(chosen, state)));
    }

    private void version(Context ctx) {
        QueryParams.of(ctx, Set.of());
        ctx.json(ApiJson.detail(resolve(ctx.pathParam("id")), state));
    }

    private void artifact(Context ctx) {
        QueryParams.of(ctx, Set.of());
        ModelVersion v = resolve(ctx.pathParam("id")).version();
        byte[] bytes;
        try {
            bytes = artifacts.get(v.getArtifact());
        } catch (ArtifactException e) {
            throw ApiException.failed(502, "artifact of " + v.getId() + " cannot be served: " + e.getMessage());
        }
        boolean zip = v.getArtifact().getFormat() != ModelFormat.OPAQUE;
        ctx.contentType(zip ? "application/zip" : "application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + v.getId() + (zip ? ".zip" : ".bin") + "\"");
        ctx.header("X-Topiary-Sha256", v.getArtifact().getSha256());
        ctx.result(bytes);
    }

    private void lineages(Context ctx) {
        QueryParams.of(ctx, Set.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String lineage : new TreeSet<>(state.lineageIds())) {
            List<VersionEntry> versions = state.lineage(lineage);
            if (versions.isEmpty()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lineage", lineage);
            m.put("versions", versions.size());
            VersionEntry root = state.version(lineage).orElse(null);
            m.put("root", root == null ? null : ApiJson.summary(root, state));
            m.put("pipelines", versions.stream().map(v -> v.version().getPipeline()).filter(p -> !p.isEmpty())
                    .distinct().sorted().toList());
            OptionalDouble best = versions.stream().map(v -> v.metric(MetricNames.ACCURACY)).filter(OptionalDouble::isPresent)
                    .mapToDouble(OptionalDouble::getAsDouble).max();
            m.put("bestAccuracy", best.isPresent() ? best.getAsDouble() : null);
            m.put("latestAt", versions.stream().map(v -> v.version().getCreatedAt()).max(Comparator.naturalOrder())
                    .map(Object::toString).orElse(null));
            out.add(m);
        }
        out.sort(Comparator.comparing((Map<String, Object> m) -> (String) m.get("latestAt"),
                Comparator.nullsLast(Comparator.reverseOrder())));
        ctx.json(Map.of("count", out.size(), "lineages", out));
    }

    private void lineage(Context ctx) {
        QueryParams.of(ctx, Set.of());
        LineageGraph g = LineageGraph.of(state, lineageOf(ctx.pathParam("id"), "id"));
        List<Map<String, Object>> outside = new ArrayList<>();
        g.outside().forEach((id, entry) -> outside.add(entry == null ? Map.of("id", id, "known", false)
                : withKnown(ApiJson.summary(entry, state))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lineage", g.lineage());
        m.put("versions", ApiJson.summaries(g.versions(), state));
        m.put("outside", outside);
        m.put("edges", g.edges().stream().map(e -> List.of(e.parent(), e.child())).toList());
        ctx.json(m);
    }

    private static Map<String, Object> withKnown(Map<String, Object> summary) {
        summary.put("known", true);
        return summary;
    }

    private void frontier(Context ctx) {
        QueryParams q = QueryParams.of(ctx, Set.of("x", "y", "dataset", "lineage"));
        ctx.json(frontiers.get(ctx.queryString() == null ? "" : ctx.queryString(), () -> frontier(q)));
    }

    private Map<String, Object> frontier(QueryParams q) {
        CostMetric x = q.cost("x", CostMetric.MACS);
        String y = q.text("y");
        if (y != null && !y.equals(MetricNames.ACCURACY)) {
            throw ApiException.badParameter("y", "parameter 'y' must be " + MetricNames.ACCURACY + ", not '" + y + "'");
        }
        String lineageParam = q.text("lineage");
        String lineage = lineageParam == null ? null : lineageOf(lineageParam, "lineage");
        String dataset = q.text("dataset");
        Collection<VersionEntry> pool = lineage == null ? state.versions() : state.lineage(lineage);
        if (dataset != null) {
            pool = pool.stream().filter(v -> dataset.equals(v.dataset())).toList();
        }
        List<Map<String, Object>> fronts = new ArrayList<>();
        Frontier.byDataset(pool, x).forEach((ds, front) ->
                fronts.add(Map.of("dataset", ds, "versions", ApiJson.summaries(front, state))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", x.key);
        m.put("y", MetricNames.ACCURACY);
        m.put("lineage", lineage);
        m.put("dataset", dataset);
        m.put("frontiers", fronts);
        return m;
    }

    private void best(Context ctx) {
        QueryParams q = QueryParams.of(ctx, Set.of("minimize", "maxAccuracyDrop", "lineage"));
        CostMetric minimize = q.cost("minimize", CostMetric.LATENCY_MS);
        double maxDrop = q.fraction("maxAccuracyDrop", 0.01);
        String lineage = lineageOf(q.required("lineage"), "lineage");
        BestVersion.Choice choice = BestVersion.find(state.lineage(lineage), minimize, maxDrop).orElseThrow(() ->
                ApiException.notFound("lineage " + lineage + " has no trained version (TRAIN or FINETUNE) with an accuracy"
                        + " and a " + minimize.key + " to choose from"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", ApiJson.summary(choice.chosen(), state));
        m.put("reference", ApiJson.summary(choice.reference(), state));
        m.put("minimize", minimize.key);
        m.put("maxAccuracyDrop", maxDrop);
        m.put("accuracyDrop", choice.reference().metric(MetricNames.ACCURACY).getAsDouble()
                - choice.chosen().metric(MetricNames.ACCURACY).getAsDouble());
        m.put("candidates", choice.candidates());
        ctx.json(m);
    }

    private void deadLetters(Context ctx) {
        QueryParams.of(ctx, Set.of());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", state.deadLetterCount());
        m.put("stages", state.deadLettersByStage().stream().map(ApiJson::stage).toList());
        m.put("recent", state.recentDeadLetters().stream().map(ApiJson::deadLetter).toList());
        ctx.json(m);
    }

    private void progress(Context ctx) {
        QueryParams.of(ctx, Set.of());
        List<Map<String, Object>> jobs = state.running().stream()
                .sorted(Comparator.comparing(Progress::getAt).reversed())
                .map(ApiJson::progress).toList();
        ctx.json(Map.of("jobs", jobs));
    }

    private void aliases(Context ctx) {
        QueryParams.of(ctx, Set.of());
        ctx.json(Map.of("aliases", state.aliases().values().stream()
                .sorted(Comparator.comparing(a -> a.getName())).map(ApiJson::alias).toList()));
    }

    private VersionEntry resolve(String idOrAlias) {
        return state.resolve(idOrAlias).orElseThrow(() -> ApiException.notFound("no version or alias '" + idOrAlias + "'"));
    }

    /** A lineage id as given, or the lineage of the version or alias given. */
    private String lineageOf(String given, String parameter) {
        if (state.lineageIds().contains(given)) {
            return given;
        }
        return state.resolve(given).map(VersionEntry::lineage).orElseThrow(() ->
                ApiException.notFound("no lineage, version or alias '" + given + "' (parameter " + parameter + ")"));
    }

    private static final Comparator<VersionEntry> OLDEST_FIRST =
            Comparator.comparing((VersionEntry v) -> v.version().getCreatedAt()).thenComparing(VersionEntry::id);

    @Override
    public void close() {
        live.close();
        app.stop();
    }
}
