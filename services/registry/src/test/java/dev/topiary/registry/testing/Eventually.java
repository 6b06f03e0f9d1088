package dev.topiary.registry.testing;

import java.util.function.BooleanSupplier;

/** Waits for what the registry will know soon (it reads Kafka on its own threads); fails after 90 s naming what. */
public final class Eventually {
    private Eventually() {}

    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
