package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.StageSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Follows one model's lineage through a pipeline's topics until a version of it reaches a final
 * topic (one that no stage reads) or one of its inputs is dead-lettered, showing progress meanwhile.
 */
final class LineageWatcher {
    private final KafkaSettings settings;
    private final Set<String> topics = new LinkedHashSet<>();
    private final Set<String> finals = new LinkedHashSet<>();
    private final Set<String> deadLetterTopics = new LinkedHashSet<>();

    LineageWatcher(KafkaSettings settings, Pipeline pipeline) {
        this.settings = settings;
        Set<String> inputs = new LinkedHashSet<>();
        for (StageSpec s : pipeline.stages()) {
            inputs.addAll(s.from());
            finals.add(s.to());
            s.routes().stream().map(Route::to).forEach(finals::add);
        }
        finals.removeAll(inputs);
        inputs.forEach(t -> deadLetterTopics.add(Topics.deadLetterOf(t)));
        topics.addAll(inputs);
        topics.addAll(finals);
        topics.addAll(deadLetterTopics);
    }

    DemoResult await(ModelVersion root, Duration timeout) {
        Map<String, ModelVersion> versions = new LinkedHashMap<>();
        List<String> deadLetters = new ArrayList<>();
        boolean reachedEnd = false;
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (TopicReader reader = new TopicReader(settings); TopicReader progress = new TopicReader(settings)) {
            reader.open(topics, true);
            progress.open(Topics.PROGRESS.name(), true);
            ProgressBars bars = new ProgressBars(System.out);
            while (!reachedEnd && deadLetters.isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    System.out.println("timed out after " + timeout.toSeconds() + " s");
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(250))) {
                    if (deadLetterTopics.contains(r.topic())) {
                        if (root.getLineage().equals(r.key())) {
                            deadLetters.add(r.topic() + ": " + header(r, "topiary.error"));
                        }
                        continue;
                    }
                    ModelVersion v = Topics.versions(r.topic()).decode(r.value());
                    if (v.getLineage().equals(root.getLineage()) && versions.putIfAbsent(v.getId(), v) == null) {
                        bars.clear();
                        System.out.println(VersionLine.of(v) + "  -> " + r.topic());
                        reachedEnd |= finals.contains(r.topic());
                    }
                }
                for (ConsumerRecord<String, byte[]> r : progress.poll(Duration.ZERO)) {
                    Progress p = Topics.PROGRESS.decode(r.value());
                    if (!versions.containsKey(p.getJobId())) {
                        bars.update(p);
                    }
                }
                bars.draw();
            }
            bars.clear();
        }
        return new DemoResult(new ArrayList<>(versions.values()), reachedEnd, deadLetters);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "(no reason given)" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
