package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.StageSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Follows some models' lineages through a pipeline's topics, printing each version as it arrives
 * and drawing progress meanwhile, until the pipeline has made every version it owes them
 * ({@link OwedVersions}) or one of their inputs is dead-lettered.
 */
final class PipelineWatcher {
    private final KafkaSettings settings;
    private final Pipeline pipeline;
    private final Set<String> versionTopics = new LinkedHashSet<>();
    private final Set<String> deadLetterTopics = new LinkedHashSet<>();

    PipelineWatcher(KafkaSettings settings, Pipeline pipeline) {
        this.settings = settings;
        this.pipeline = pipeline;
        for (StageSpec s : pipeline.stages()) {
            versionTopics.addAll(s.from());
            versionTopics.add(s.to());
            s.routes().stream().map(Route::to).forEach(versionTopics::add);
            s.from().forEach(t -> deadLetterTopics.add(Topics.deadLetterOf(t)));
            if (s.matrix() != null) {
                deadLetterTopics.add(Topics.deadLetterOf(Topics.jobsOf(pipeline.name(), s.name())));
            }
            if (s.gather() != null) {
                deadLetterTopics.add(Topics.deadLetterOf(Topics.gatheredOf(pipeline.name(), s.name())));
            }
        }
    }

    DemoResult await(List<ModelVersion> roots, Duration timeout) {
        Set<String> lineages = new LinkedHashSet<>();
        roots.forEach(r -> lineages.add(r.getLineage()));
        OwedVersions owed = new OwedVersions(pipeline);
        List<DemoResult.Arrival> arrivals = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        List<String> all = new ArrayList<>(versionTopics);
        all.addAll(deadLetterTopics);
        try (TopicAdmin admin = new TopicAdmin(settings)) {
            admin.ensure(all); // a stage creates its own; the gatherer's dead-letter topics may not exist yet
        }
        try (TopicReader reader = new TopicReader(settings); TopicReader progress = new TopicReader(settings)) {
            reader.open(all, true);
            progress.open(Topics.PROGRESS.name(), true);
            ProgressBars bars = new ProgressBars(System.out);
            while (deadLetters.isEmpty() && (owed.seen() < roots.size() || !owed.settled())) {
                if (System.currentTimeMillis() > deadline) {
                    bars.clear();
                    System.out.println("timed out after " + timeout.toSeconds() + " s, waiting for "
                            + String.join(", ", owed.waitingFor()));
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(250))) {
                    if (!lineages.contains(r.key())) {
                        continue;
                    }
                    if (deadLetterTopics.contains(r.topic())) {
                        deadLetters.add(r.topic() + ": " + header(r, "topiary.error"));
                        continue;
                    }
                    ModelVersion v = Topics.versions(r.topic()).decode(r.value());
                    if (arrivals.stream().noneMatch(a -> a.version().getId().equals(v.getId()))) {
                        arrivals.add(new DemoResult.Arrival(v, r.topic()));
                        owed.arrived(v, r.topic());
                        bars.clear();
                        System.out.println(VersionLine.of(v) + "  -> " + r.topic());
                    }
                }
                for (ConsumerRecord<String, byte[]> r : progress.poll(Duration.ZERO)) {
                    // every heartbeat, the last (done or failed) too, so a finished job's bar goes away
                    String finished = bars.update(Topics.PROGRESS.decode(r.value()));
                    if (finished != null) {
                        bars.clear();
                        System.out.println(finished);
                    }
                }
                bars.draw();
            }
            bars.clear();
        }
        return new DemoResult(arrivals, deadLetters.isEmpty() && owed.settled(), deadLetters);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "(no reason given)" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
