package dev.topiary.cli;

import dev.topiary.runtime.service.InstanceSlot;
import picocli.CommandLine.Option;

/**
 * This process's identity in transactional ids. A stable id lets a restarted process fence its
 * crashed predecessor at once, instead of waiting for its open transaction to time out; two live
 * processes must never share one. The default is a slot of this host ({@link InstanceSlot}):
 * stable across restarts, distinct between processes alive at the same time.
 */
final class InstanceOption {
    @Option(names = "--instance-id",
            description = "stable id of this process (default: $TOPIARY_INSTANCE_ID, else HOST-N for the first free slot N on this host)")
    String instanceId;

    String id() {
        if (instanceId != null) {
            return instanceId;
        }
        String env = System.getenv("TOPIARY_INSTANCE_ID");
        return env != null && !env.isBlank() ? env : InstanceSlot.defaultId();
    }
}
