package dev.topiary.gatherer;

import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Gather;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.StageSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the gatherer of one stage needs: where members arrive ({@code from}), where the jobs of
 * upstream matrices that feed those topics are dead-lettered (each one a member that will never
 * arrive), the rule, and where sets go.
 *
 * @param failedJobTopics the dead-letter topics of the jobs topics of the pipeline's matrix stages
 *                        that write to one of {@code from}
 */
public record GatherSpec(String pipeline, String stage, Gather gather, List<String> from, List<String> failedJobTopics) {
    public GatherSpec {
        from = List.copyOf(from);
        failedJobTopics = List.copyOf(failedJobTopics);
    }

    /** One spec per stage that gathers, in load order. */
    public static List<GatherSpec> allOf(PipelineSet pipelines) {
        List<GatherSpec> specs = new ArrayList<>();
        for (Pipeline p : pipelines.pipelines()) {
            for (StageSpec s : p.stages()) {
                if (s.gather() != null) {
                    specs.add(of(p, s));
                }
            }
        }
        return specs;
    }

    static GatherSpec of(Pipeline pipeline, StageSpec stage) {
        Set<String> failed = new LinkedHashSet<>();
        for (StageSpec upstream : pipeline.stages()) {
            if (upstream.matrix() == null) {
                continue;
            }
            Set<String> writes = new LinkedHashSet<>(List.of(upstream.to()));
            upstream.routes().stream().map(Route::to).forEach(writes::add);
            if (writes.stream().anyMatch(stage.from()::contains)) {
                failed.add(Topics.deadLetterOf(Topics.jobsOf(pipeline.name(), upstream.name())));
            }
        }
        return new GatherSpec(pipeline.name(), stage.name(), stage.gather(), stage.from(), List.copyOf(failed));
    }

    /** Where complete and partial sets go: what the stage reads. */
    public String gatheredTopic() {
        return Topics.gatheredOf(pipeline, stage);
    }

    /** The Kafka Streams application id: one application per gathering stage, shared by its instances. */
    public String applicationId() {
        return "topiary-gather-" + pipeline + "-" + stage;
    }

    /** {@code PIPELINE/STAGE}, as dead letters and logs name the stage. */
    public String label() {
        return pipeline + "/" + stage;
    }

    /** Every topic the application reads. */
    public List<String> sources() {
        List<String> all = new ArrayList<>(from);
        all.addAll(failedJobTopics);
        return all;
    }

    /** How often to look for sets whose {@code within} has passed: a tenth of it, from 100 ms to 1 s. */
    public Duration tick() {
        Duration within = gather.within();
        if (within == null) {
            return Duration.ofSeconds(1);
        }
        long ms = Math.max(100, Math.min(1000, within.toMillis() / 10));
        return Duration.ofMillis(ms);
    }
}
