package dev.topiary.gatherer;

import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.service.HostedKind;
import dev.topiary.runtime.service.HostedService;

/**
 * The hosted kind {@code gatherer}: wanted by pipelines with a stage that gathers. Its
 * {@code --service-option gatherer.KEY=VALUE} settings pass to Kafka Streams unchanged (e.g.
 * {@code gatherer.num.standby.replicas=1}).
 */
public final class GathererKind implements HostedKind {
    public static final String NAME = "gatherer";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "gathers the versions arriving for each stage with gather: into sets (Kafka Streams)";
    }

    @Override
    public boolean wanted(PipelineSet pipelines) {
        return !GatherSpec.allOf(pipelines).isEmpty();
    }

    @Override
    public HostedService start(HostContext context) {
        return GathererService.start(context);
    }
}
