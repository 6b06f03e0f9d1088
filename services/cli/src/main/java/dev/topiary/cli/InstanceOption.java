package dev.topiary.cli;

import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * This process's identity in transactional ids. A stable id lets a restarted process fence its
 * crashed predecessor at once, instead of waiting for its open transaction to time out; two live
 * processes must never share one, so the default is random.
 */
final class InstanceOption {
    @Option(names = "--instance-id", description = "stable id of this process (default: $TOPIARY_INSTANCE_ID or random)")
    String instanceId;

    String id() {
        if (instanceId != null) {
            return instanceId;
        }
        String env = System.getenv("TOPIARY_INSTANCE_ID");
        return env != null && !env.isBlank() ? env : UUID.randomUUID().toString().substring(0, 8);
    }
}
