package dev.topiary.runtime.client;

/** Topiary's own version, stamped on every event it produces. */
public final class Versions {
    public static final String TOPIARY = "0.1.0";

    private Versions() {}
}
