package dev.topiary.registry;

import dev.topiary.runtime.service.HostContext;
import dev.topiary.runtime.service.HostedKind;
import dev.topiary.runtime.service.HostedService;

/** The {@code registry} hosted service: on in {@code topiary up} unless left out, alone as {@code topiary service registry}. */
public final class RegistryKind implements HostedKind {
    public static final String NAME = "registry";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "every version, its lineage and the accuracy/cost frontier: HTTP API and live web page (default http://127.0.0.1:7070)";
    }

    @Override
    public HostedService start(HostContext context) throws InterruptedException {
        return RegistryService.start(context);
    }
}
