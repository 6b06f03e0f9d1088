package dev.topiary.cli;

import dev.topiary.runtime.stage.RetryPolicy;
import picocli.CommandLine.Option;

/** How long the stages of a service retry an input after a transient fault before parking it. */
final class RetryOption {
    @Option(names = "--max-retries", paramLabel = "N",
            description = "retries of an input after a transient fault (store or broker unavailable, timeouts), with"
                    + " backoff doubling from 1 s to 60 s, before it is dead-lettered (default ${DEFAULT-VALUE}: about 3 minutes)")
    int maxRetries = RetryPolicy.DEFAULT.maxRetries();

    RetryPolicy policy() {
        return RetryPolicy.DEFAULT.withMaxRetries(maxRetries);
    }
}
