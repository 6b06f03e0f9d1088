package dev.topiary.registry.http;

import dev.topiary.events.Alias;
import dev.topiary.events.DeadLetter;
import dev.topiary.events.Progress;
import dev.topiary.registry.state.RegistryState;
import dev.topiary.registry.state.StageDeadLetters;
import dev.topiary.registry.state.VersionEntry;
import dev.topiary.runtime.events.VersionJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's JSON shapes, as maps Jackson writes in order; a version is {@link VersionJson}'s plus where it was found. */
final class ApiJson {
    private ApiJson() {}

    /** A version as lists show it: no per-layer architecture, which only its own page needs. */
    static Map<String, Object> summary(VersionEntry e, RegistryState state) {
        return version(e, state, false);
    }

    static Map<String, Object> detail(VersionEntry e, RegistryState state) {
        Map<String, Object> m = version(e, state, true);
        m.put("children", state.childrenOf(e.id()).stream().sorted().toList());
        return m;
    }

    private static Map<String, Object> version(VersionEntry e, RegistryState state, boolean withArchitecture) {
        Map<String, Object> m = VersionJson.toMap(e.version(), withArchitecture);
        m.put("topic", e.topic());
        m.put("partition", e.partition());
        m.put("offset", e.offset());
        m.put("aliases", state.aliasesOf(e.id()));
        return m;
    }

    static Map<String, Object> deadLetter(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", d.getTopic());
        m.put("partition", d.getPartition());
        m.put("offset", d.getOffset());
        m.put("stage", d.getStage());
        m.put("error", d.getError());
        m.put("errorClass", d.getErrorClass());
        m.put("sourceTopic", d.getSourceTopic());
        m.put("sourcePartition", d.getSourcePartition());
        m.put("sourceOffset", d.getSourceOffset());
        m.put("key", d.getKey());
        m.put("valueBytes", d.getValueBytes());
        m.put("versionId", d.getVersionId());
        m.put("lineage", d.getLineage());
        m.put("at", d.getAt().toString());
        return m;
    }

    static Map<String, Object> stage(StageDeadLetters s) {
        return Map.of("stage", s.stage(), "count", s.count(), "latest", deadLetter(s.latest()));
    }

    static Map<String, Object> progress(Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", p.getJobId());
        m.put("inputId", p.getInputId());
        m.put("pipeline", p.getPipeline());
        m.put("stage", p.getStage());
        m.put("state", p.getState().name());
        m.put("epoch", p.getEpoch());
        m.put("epochs", p.getEpochs());
        m.put("batch", p.getBatch());
        m.put("batches", p.getBatches());
        m.put("loss", p.getLoss());
        m.put("etaSeconds", p.getEtaSeconds());
        m.put("message", p.getMessage());
        m.put("at", p.getAt().toString());
        return m;
    }

    static Map<String, Object> alias(Alias a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.getName());
        m.put("versionId", a.getVersionId());
        m.put("lineage", a.getLineage());
        m.put("at", a.getAt().toString());
        m.put("by", a.getBy());
        return m;
    }

    static Map<String, Object> error(String message, String parameter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (parameter != null) {
            m.put("parameter", parameter);
        }
        return m;
    }

    static List<Map<String, Object>> summaries(List<VersionEntry> entries, RegistryState state) {
        return entries.stream().map(e -> summary(e, state)).toList();
    }
}
