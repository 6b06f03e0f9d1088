package dev.topiary.runtime.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One pipeline file: the wiring of topics between stages. Services never call each other; this is
 * the only place that says which service reads what and writes where.
 *
 * @param name    unique across all loaded pipelines
 * @param dataset default data set for training and evaluation in every stage; null when not set
 * @param stages  in file order
 * @param file    where it was read from, for messages; null when built in code
 * @param topics  how its topics are created
 * @param line    1-based line of the {@code pipeline:} key, for messages; 0 when not from a file
 */
public record Pipeline(String name, String dataset, List<StageSpec> stages, Path file, TopicDefaults topics, int line) {
    public Pipeline {
        Objects.requireNonNull(name, "name");
        stages = List.copyOf(stages);
        topics = topics == null ? TopicDefaults.DEFAULT : topics;
    }

    /** A pipeline with default topic settings, as built in code or tests. */
    public Pipeline(String name, String dataset, List<StageSpec> stages, Path file) {
        this(name, dataset, stages, file, TopicDefaults.DEFAULT, 0);
    }

    /** The stage's own dataset if it sets one, else the pipeline's; null if neither does. */
    public String datasetFor(StageSpec stage) {
        return stage.dataset() != null ? stage.dataset() : dataset;
    }

    public Optional<StageSpec> stage(String stageName) {
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst();
    }
}
