package dev.topiary.runtime.pipeline;

/**
 * A stage together with the pipeline it belongs to: what a service needs to run it, since the
 * dataset, topic settings and the names in consumer groups and events come from the pipeline.
 */
public record PipelineStage(Pipeline pipeline, StageSpec stage) {
    /** The dataset this stage trains and evaluates on; null if neither stage nor pipeline sets one. */
    public String dataset() {
        return pipeline.datasetFor(stage);
    }
}
