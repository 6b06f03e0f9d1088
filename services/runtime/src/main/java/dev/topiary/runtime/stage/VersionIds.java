package dev.topiary.runtime.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.topiary.runtime.artifact.Sha256;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Version ids. A derived version's id is a hash of its parents' ids (sorted, so the order several
 * parents arrived in does not matter), the pipeline, the stage and the stage's canonical params, so
 * a redelivered input yields the same id and a duplicate is recognisable anywhere downstream. A
 * root (a published or new model) is a new fact: its id is random.
 */
public final class VersionIds {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private VersionIds() {}

    public static String derive(List<String> parents, String pipeline, String stage, Map<String, Object> params) {
        String material = String.join(",", parents.stream().sorted().toList()) + "|" + pipeline + "|" + stage + "|"
                + canonicalJson(params);
        return "v-" + Sha256.hex(material).substring(0, 24);
    }

    /**
     * A gathered set's id: {@code s-} and a hash of the pipeline, the stage and the members' ids
     * (sorted), so the same members gathered for the same stage always make the same set.
     */
    public static String deriveSet(String pipeline, String stage, List<String> members) {
        return "s-" + Sha256.hex(pipeline + "|" + stage + "|" + String.join(",", members.stream().sorted().toList()))
                .substring(0, 24);
    }

    public static String root() {
        return "v-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** Sorted keys at every level, so the same params always give the same text. */
    public static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(sortDeep(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("params are not representable as JSON: " + e.getMessage(), e);
        }
    }

    /** Each param's value as canonical JSON text, the form {@code Operation.params} carries. */
    public static Map<String, String> canonicalParams(Map<String, Object> params) {
        Map<String, String> out = new LinkedHashMap<>();
        new TreeMap<>(params == null ? Map.<String, Object>of() : params).forEach((k, v) -> out.put(k, canonicalJson(v)));
        return out;
    }

    private static Object sortDeep(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), sortDeep(v)));
            return sorted;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(VersionIds::sortDeep).toList();
        }
        return value;
    }
}
