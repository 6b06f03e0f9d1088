package dev.topiary.runtime.stage;

import dev.topiary.runtime.kafka.Topics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stage of one pipeline as a runner needs it: where to read, how to transform, where to write.
 *
 * @param inputs the topics the stage consumes
 * @param outputs every topic the stage may write (default and routes), created up front
 * @param router picks the output topic for a new version
 * @param decoder reads an input record into the parents of the new version ({@link InputDecoder#VERSION}
 *                for one version per record, {@link InputDecoder#MODEL_SET} behind a gatherer)
 * @param fanout  which part of the stage this binding runs: all of it, or a matrix's expansion or jobs
 */
public record StageBinding(
        String pipeline,
        String stage,
        String uses,
        List<String> inputs,
        Set<String> outputs,
        Map<String, Object> params,
        String dataset,
        RouteSelector router,
        InputDecoder decoder,
        Fanout fanout) {

    /** A stage that reads one version per input record. */
    public StageBinding(String pipeline, String stage, String uses, List<String> inputs, Set<String> outputs,
                        Map<String, Object> params, String dataset, RouteSelector router) {
        this(pipeline, stage, uses, inputs, outputs, params, dataset, router, InputDecoder.VERSION);
    }

    /** A stage without a matrix. */
    public StageBinding(String pipeline, String stage, String uses, List<String> inputs, Set<String> outputs,
                        Map<String, Object> params, String dataset, RouteSelector router, InputDecoder decoder) {
        this(pipeline, stage, uses, inputs, outputs, params, dataset, router, decoder, Fanout.WHOLE);
    }

    /**
     * The consumer group: one per stage (and one more for a matrix stage's jobs), shared by every
     * instance of the service running it.
     */
    public String groupId() {
        return "topiary." + pipeline + "." + stage + fanout.suffix();
    }

    /** The stage's name, and for a matrix stage which of its two parts this is, as logs and reports show it. */
    public String part() {
        return fanout.role().isEmpty() ? stage : stage + " (" + fanout.role() + ")";
    }

    /** The transactional id of this binding's runner in instance {@code instanceId}. */
    public String transactionalId(String instanceId) {
        return "topiary-" + pipeline + "-" + stage + fanout.suffix() + "-" + instanceId;
    }

    /** Every topic the stage touches: its inputs, their dead-letter topics, and its outputs. */
    public Set<String> topics() {
        Set<String> all = new LinkedHashSet<>(inputs);
        inputs.forEach(t -> all.add(Topics.deadLetterOf(t)));
        all.addAll(outputs);
        return all;
    }

    /** Picks the topic a new version goes to, from its metrics and its parent's. */
    @FunctionalInterface
    public interface RouteSelector {
        String select(Map<String, Double> metrics, Map<String, Double> parentMetrics);
    }
}
