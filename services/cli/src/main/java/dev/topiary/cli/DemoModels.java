package dev.topiary.cli;

import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.StageSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The untrained networks the demo publishes: one for each entry topic of its pipeline (a topic a
 * stage reads and no stage writes), each written as {@code topiary new} takes it. A pipeline is
 * wiring only and names no models, so what enters it is said here, for {@code pipelines/demo.yaml},
 * and by {@code --model TOPIC=ARCHITECTURE} for any other.
 */
final class DemoModels {
    /** What {@code pipelines/demo.yaml}'s entry topics take. */
    static final Map<String, String> DEMO_YAML = defaults();

    private DemoModels() {}

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("models.new", "mlp --layers 784,300,100,10");
        m.put("resmlp.new", "resmlp --width 128 --blocks 4");
        m.put("cnn.new", "cnn --batch-norm");
        m.put("small.new", "mlp --layers 784,32,10");
        return Collections.unmodifiableMap(m);
    }

    /**
     * The architecture to publish on each entry topic, in the order the pipeline first reads them:
     * the one {@code chosen} names, else the default. Every entry topic needs one, and a chosen
     * topic that is not an entry topic is a mistake.
     */
    static Map<String, String> forPipeline(Pipeline pipeline, Map<String, String> chosen) {
        Set<String> entries = entryTopics(pipeline);
        for (String topic : chosen.keySet()) {
            if (!entries.contains(topic)) {
                throw new UserError("--model " + topic + "=...: pipeline '" + pipeline.name() + "' does not start at "
                        + topic + " (its entry topics: " + String.join(", ", entries) + ")");
            }
        }
        Map<String, String> models = new LinkedHashMap<>();
        for (String topic : entries) {
            String architecture = chosen.getOrDefault(topic, DEMO_YAML.get(topic));
            if (architecture == null) {
                throw new UserError("pipeline '" + pipeline.name() + "' starts at " + topic
                        + ", which needs a model: --model " + topic + "='mlp --layers 784,300,100,10' (any `topiary new` architecture)");
            }
            models.put(topic, architecture);
        }
        return models;
    }

    /** Topics some stage reads and none writes, in file order. */
    static Set<String> entryTopics(Pipeline pipeline) {
        Set<String> read = new LinkedHashSet<>();
        Set<String> written = new LinkedHashSet<>();
        for (StageSpec s : pipeline.stages()) {
            read.addAll(s.from());
            written.add(s.to());
            s.routes().stream().map(Route::to).forEach(written::add);
        }
        read.removeAll(written);
        return read;
    }
}
