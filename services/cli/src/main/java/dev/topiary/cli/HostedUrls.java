package dev.topiary.cli;

import dev.topiary.registry.RegistryKind;
import dev.topiary.registry.RegistryService;
import dev.topiary.runtime.service.HostedService;
import dev.topiary.runtime.service.ServiceHost;

/** Tells the user where the hosted services that serve something can be reached. */
final class HostedUrls {
    private HostedUrls() {}

    static void print(ServiceHost host) {
        HostedService registry = host.hostedServices().get(RegistryKind.NAME);
        if (registry instanceof RegistryService r) {
            // on stdout, one line, so scripts can read it: registry: http://127.0.0.1:7070
            System.out.println("registry: " + r.url());
            System.out.flush();
        }
    }
}
