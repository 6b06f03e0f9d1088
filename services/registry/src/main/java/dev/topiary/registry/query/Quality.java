package dev.topiary.registry.query;

/** The measure of how good a version is, where more is better: the y of the frontier. */
public final class Quality {
    public static final String ACCURACY = "accuracy";

    private Quality() {}
}
