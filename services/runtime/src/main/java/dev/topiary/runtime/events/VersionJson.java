package dev.topiary.runtime.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.ArtifactRef;
import dev.topiary.events.LayerSummary;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A version as JSON: one line per version for scripts reading {@code topiary watch --json}, and the
 * body of the registry's API. {@link #parse} reads the same shape back, so a client of the API
 * works with the same {@link ModelVersion} as a Kafka consumer.
 */
public final class VersionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionJson() {}

    public static String of(ModelVersion v) {
        try {
            return JSON.writeValueAsString(toMap(v, true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gathered set as one line: its rule, its counts and its members' ids (sorted), for {@code topiary watch --json}. */
    public static String of(ModelSet s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("set", s.getId());
        m.put("pipeline", s.getPipeline());
        m.put("stage", s.getStage());
        m.put("by", s.getBy());
        m.put("key", s.getKey());
        m.put("state", s.getState().name());
        m.put("expected", s.getExpected());
        m.put("arrived", s.getArrived());
        m.put("failed", s.getFailed());
        m.put("min", s.getMin());
        m.put("members", s.getMembers().stream().map(ModelVersion::getId).toList());
        m.put("failures", s.getFailures().stream().map(f -> Map.of("id", f.getId(), "reason", f.getReason())).toList());
        m.put("reason", s.getReason());
        m.put("firstArrivedAt", s.getFirstArrivedAt().toString());
        m.put("closedAt", s.getClosedAt() == null ? null : s.getClosedAt().toString());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The version as ordered maps and lists; without the per-layer architecture unless asked. */
    public static Map<String, Object> toMap(ModelVersion v, boolean withArchitecture) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.getId());
        m.put("parents", v.getParents());
        m.put("lineage", v.getLineage());
        m.put("pipeline", v.getPipeline());
        m.put("stage", v.getStage());
        m.put("operation", Map.of("kind", v.getOperation().getKind().name(), "params", v.getOperation().getParams()));
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("uri", v.getArtifact().getUri());
        artifact.put("sha256", v.getArtifact().getSha256());
        artifact.put("sizeBytes", v.getArtifact().getSizeBytes());
        artifact.put("format", v.getArtifact().getFormat().name());
        m.put("artifact", artifact);
        m.put("metrics", v.getMetrics().getValues());
        m.put("dataset", v.getMetrics().getDataset());
        m.put("changes", v.getChanges());
        if (withArchitecture) {
            m.put("architecture", architecture(v.getArchitecture()));
        }
        m.put("createdAt", v.getCreatedAt().toString());
        m.put("producer", v.getProducer().getService() + "/" + v.getProducer().getVersion());
        m.put("labels", v.getLabels());
        m.put("selectionSplit", v.getSelectionSplit());
        return m;
    }

    /** Reads what {@link #toMap} wrote; an absent architecture reads as none. */
    public static ModelVersion parse(JsonNode n) {
        JsonNode artifact = n.path("artifact");
        String[] producer = n.path("producer").asText("/").split("/", 2);
        List<LayerSummary> layers = new ArrayList<>();
        for (JsonNode l : n.path("architecture")) {
            layers.add(new LayerSummary(l.path("name").asText(), l.path("type").asText(), l.path("shape").asText(),
                    l.path("params").asLong(), l.path("nonzeros").asLong()));
        }
        JsonNode dataset = n.path("dataset");
        return ModelVersion.newBuilder()
                .setId(n.path("id").asText())
                .setParents(strings(n.path("parents")))
                .setLineage(n.path("lineage").asText())
                .setPipeline(n.path("pipeline").asText())
                .setStage(n.path("stage").asText())
                .setOperation(new Operation(OperationKind.valueOf(n.path("operation").path("kind").asText("OTHER")),
                        stringMap(n.path("operation").path("params"))))
                .setArtifact(new ArtifactRef(artifact.path("uri").asText(), artifact.path("sha256").asText(),
                        artifact.path("sizeBytes").asLong(), ModelFormat.valueOf(artifact.path("format").asText("OPAQUE"))))
                .setArchitecture(layers)
                .setMetrics(new Metrics(dataset.isTextual() ? dataset.asText() : null, doubleMap(n.path("metrics"))))
                .setChanges(doubleMap(n.path("changes")))
                .setCreatedAt(Instant.parse(n.path("createdAt").asText()))
                .setProducer(new Producer(producer[0], producer.length > 1 ? producer[1] : ""))
                .setLabels(stringMap(n.path("labels")))
                .setSelectionSplit(n.path("selectionSplit").isTextual() ? n.path("selectionSplit").asText() : null)
                .build();
    }

    private static List<Map<String, Object>> architecture(List<LayerSummary> layers) {
        return layers.stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.getName());
            m.put("type", l.getType());
            m.put("shape", l.getShape());
            m.put("params", l.getParams());
            m.put("nonzeros", l.getNonzeros());
            return m;
        }).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, Double> doubleMap(JsonNode object) {
        Map<String, Double> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }
}
