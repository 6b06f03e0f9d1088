package dev.topiary.runtime.service;

import dev.topiary.runtime.pipeline.PipelineSet;

/**
 * A kind of long-running service that is not a stage transformation: the Kafka Streams
 * applications (the gatherer in front of stages that gather, the registry). Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.topiary.runtime.service.HostedKind}),
 * like {@link dev.topiary.runtime.stage.ServiceKind}, so the runtime's core needs no Kafka Streams
 * dependency: a module that brings one also brings its kind. {@code topiary up} starts every hosted
 * kind that is {@link #wanted} for the loaded pipelines; {@code topiary service NAME} starts one.
 */
public interface HostedKind {
    /** The name {@code topiary service NAME} uses, e.g. {@code registry}. */
    String name();

    /** One line for help texts. */
    String description();

    /** Whether these pipelines need this service (the gatherer: only when a stage gathers). */
    default boolean wanted(PipelineSet pipelines) {
        return true;
    }

    /** Starts the service; it runs until closed. A bad setting fails here, naming what was wrong. */
    HostedService start(HostContext context) throws Exception;
}
