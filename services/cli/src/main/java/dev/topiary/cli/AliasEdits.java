package dev.topiary.cli;

import dev.topiary.registry.client.AliasPublisher;
import dev.topiary.registry.client.RegistryClient;
import dev.topiary.registry.client.RegistryException;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@code promote} and {@code demote} share around their one write to the aliases topic: the
 * name is checked first, as a user error; afterwards the command waits until the registry
 * reflects the change, so the next command (e.g. {@code topiary pull production}) sees it. The
 * registry reads the aliases topic asynchronously; a write it has not read yet is not an error,
 * one it never reads in 30 s is.
 */
final class AliasEdits {
    private static final long WAIT_MS = 30_000;

    private AliasEdits() {}

    /** {@link AliasPublisher#checkName}, its refusal as the user's error. */
    static void checkName(String alias) {
        try {
            AliasPublisher.checkName(alias);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Polls {@code client.aliases()} (name to version id) until {@code done} holds. */
    static void awaitRegistry(RegistryClient client, String alias, String expected,
            Predicate<Map<String, String>> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            try {
                if (done.test(client.aliases())) {
                    return;
                }
            } catch (RegistryException notYet) {
                // a registry restarting or not yet serving: keep asking until the deadline
            }
            if (System.currentTimeMillis() > deadline) {
                throw new UserError("alias " + alias + " was written, but the registry at " + client.url()
                        + " does not show it " + expected + " after " + WAIT_MS / 1000 + " s");
            }
            Thread.sleep(100);
        }
    }
}
