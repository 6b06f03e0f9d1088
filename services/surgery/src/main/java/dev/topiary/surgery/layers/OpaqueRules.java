package dev.topiary.surgery.layers;

/**
 * Stands in for a type no rules are registered for, in views that only describe a network
 * (metrics, summaries) rather than change it. Anything that changes channels refuses it.
 */
public final class OpaqueRules implements LayerRules {
    private final Class<?> type;

    public OpaqueRules(Class<?> type) {
        this.type = type;
    }

    @Override
    public Class<?> handles() {
        return type;
    }

    @Override
    public Channels channels() {
        return Channels.OPAQUE;
    }
}
