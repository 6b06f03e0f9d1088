package dev.topiary.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.events.LayerSummary;
import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A version as one line of JSON, for scripts reading {@code topiary watch --json}. */
final class VersionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionJson() {}

    static String of(ModelVersion v) {
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
        m.put("architecture", architecture(v.getArchitecture()));
        m.put("createdAt", v.getCreatedAt().toString());
        m.put("producer", v.getProducer().getService() + "/" + v.getProducer().getVersion());
        m.put("labels", v.getLabels());
        m.put("selectionSplit", v.getSelectionSplit());
        return write(m);
    }

    /** A gathered set: its rule, its counts and its members' ids (sorted). */
    static String of(ModelSet s) {
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
        return write(m);
    }

    private static String write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
}
