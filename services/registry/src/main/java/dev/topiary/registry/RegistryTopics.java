package dev.topiary.registry;

import dev.topiary.events.Alias;
import dev.topiary.events.DeadLetter;
import dev.topiary.events.Progress;
import dev.topiary.events.RegisteredVersion;
import dev.topiary.runtime.kafka.Topic;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.StageSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The topics the registry reads and the three it writes. It reads every topic the pipelines touch
 * (inputs, where root versions are published; outputs and routes; the inputs' dead-letter topics),
 * the progress topic, and whatever matches the user's pattern. It writes one compacted topic each
 * for versions (keyed by id), dead letters and running jobs, named after the registry, which its
 * global stores restore from; aliases come from {@link Topics#ALIASES}, compacted as written.
 */
public record RegistryTopics(Topic<RegisteredVersion> versions, Topic<DeadLetter> deadLetters, Topic<Progress> progress,
                             Topic<Alias> aliases) {
    public static RegistryTopics named(String name) {
        return new RegistryTopics(Topics.registeredVersions(name), Topics.registeredDeadLetters(name),
                Topics.runningJobs(name), Topics.ALIASES);
    }

    /** The registry's own topics, all compacted: the latest record per key is the state. */
    public List<String> owned() {
        return List.of(versions.name(), deadLetters.name(), progress.name(), aliases.name());
    }

    /**
     * Every topic the pipelines read or write, with the dead-letter topic of each input (for a
     * matrix stage, of its jobs; for a stage that gathers, of its sets).
     */
    public static Set<String> ofPipelines(PipelineSet pipelines) {
        Set<String> topics = new LinkedHashSet<>();
        pipelines.pipelines().forEach(p -> topics.addAll(ofPipeline(p)));
        return topics;
    }

    public static Set<String> ofPipeline(Pipeline pipeline) {
        Set<String> topics = new LinkedHashSet<>();
        for (StageSpec s : pipeline.stages()) {
            for (String in : s.from()) {
                topics.add(in);
                topics.add(Topics.deadLetterOf(in));
            }
            topics.add(s.to());
            s.routes().stream().map(Route::to).forEach(topics::add);
            if (s.matrix() != null) { // a matrix job that failed is dead-lettered on the stage's jobs topic
                topics.add(Topics.deadLetterOf(Topics.jobsOf(pipeline.name(), s.name())));
            }
            if (s.gather() != null) { // a set the stage refused
                topics.add(Topics.deadLetterOf(Topics.gatheredOf(pipeline.name(), s.name())));
            }
        }
        return topics;
    }

    /**
     * One pattern for the ingest's source: the named topics, the progress topic and the user's
     * pattern, never the registry's own topics (their global stores read them) nor the artifact
     * chunks. Kafka Streams refuses a topic that two sources match, hence one source.
     */
    public Pattern watched(Collection<String> named, Pattern extra) {
        Set<String> exact = new LinkedHashSet<>(named);
        exact.add(Topics.PROGRESS.name());
        String listed = exact.stream().map(Pattern::quote).collect(Collectors.joining("|"));
        String wanted = extra == null ? listed : listed + "|" + extra.pattern();
        List<String> own = new ArrayList<>(owned());
        own.add(Topics.ARTIFACTS.name());
        String excluded = own.stream()
                .map(Pattern::quote).sorted().collect(Collectors.joining("|"));
        return Pattern.compile("(?!(?:" + excluded + ")$)(?:" + wanted + ")");
    }
}
