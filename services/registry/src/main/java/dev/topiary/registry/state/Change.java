package dev.topiary.registry.state;

import dev.topiary.events.Alias;
import dev.topiary.events.DeadLetter;
import dev.topiary.events.Progress;

/** Something new in the registry, as the live stream announces it. */
public sealed interface Change {
    /** A version the registry had not seen before. */
    record NewVersion(VersionEntry entry) implements Change {}

    record NewDeadLetter(DeadLetter letter) implements Change {}

    /** A heartbeat of a running job; {@code progress} is null when the job ended. */
    record JobProgress(String jobId, Progress progress) implements Change {}

    /** An alias set or moved; {@code alias} is null when the name was removed. */
    record AliasChanged(String name, Alias alias) implements Change {}
}
