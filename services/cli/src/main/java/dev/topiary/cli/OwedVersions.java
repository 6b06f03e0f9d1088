package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.StageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pipeline still owes for the versions seen so far, from its wiring: every version arriving
 * on a topic a stage reads is owed that stage's outputs (one, or one per {@code matrix}
 * combination), and a stage that gathers owes one output per complete set. Counted from what
 * actually arrived, so a route that sends a version out of the pipeline, or a loop whose route
 * ends it, changes what is owed as it changes the flow; nothing about the pipeline is assumed.
 */
final class OwedVersions {
    private final Pipeline pipeline;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Integer> owed = new HashMap<>();
    private final Map<String, Integer> made = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> sets = new HashMap<>();

    OwedVersions(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Counts a version that arrived on {@code topic}: what made it, and what its stages owe for it. */
    void arrived(ModelVersion v, String topic) {
        if (!seen.add(v.getId())) {
            return;
        }
        if (pipeline.name().equals(v.getPipeline())) {
            made.merge(v.getStage(), 1, Integer::sum);
        }
        for (StageSpec s : pipeline.stages()) {
            if (!s.from().contains(topic)) {
                continue;
            }
            if (s.gather() == null) {
                owed.merge(s.name(), s.matrix() == null ? 1 : s.matrix().combinations().size(), Integer::sum);
                continue;
            }
            String key;
            try {
                key = s.gather().by().keyOf(v);
            } catch (IllegalArgumentException e) {
                continue; // the gatherer dead-letters a version it cannot group, and the watcher reports that
            }
            Set<String> members = sets.computeIfAbsent(s.name(), k -> new HashMap<>()).computeIfAbsent(key, k -> new HashSet<>());
            if (members.add(v.getId()) && members.size() == s.gather().count()) {
                owed.merge(s.name(), 1, Integer::sum);
            }
        }
    }

    /** True when every stage has made every output owed so far. */
    boolean settled() {
        return owed.entrySet().stream().allMatch(e -> made.getOrDefault(e.getKey(), 0) >= e.getValue());
    }

    /** Versions seen so far, owed ones included once they arrived. */
    int seen() {
        return seen.size();
    }

    /** The stages still owing, e.g. {@code prune (0 of 1)}, in file order. */
    List<String> waitingFor() {
        List<String> out = new ArrayList<>();
        for (StageSpec s : pipeline.stages()) {
            int o = owed.getOrDefault(s.name(), 0);
            int m = made.getOrDefault(s.name(), 0);
            if (m < o) {
                out.add(s.name() + " (" + m + " of " + o + ")");
            }
        }
        return out;
    }
}
