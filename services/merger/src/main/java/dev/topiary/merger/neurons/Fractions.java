package dev.topiary.merger.neurons;

import java.util.Map;
import java.util.TreeMap;

/**
 * How much of each hidden layer merges away: one share of every layer that qualifies, or a share
 * for each named layer, the others keeping every unit.
 *
 * @param every the share of every layer, when {@code byLayer} is empty
 * @param byLayer shares by layer name
 */
public record Fractions(double every, Map<String, Double> byLayer) {

    public Fractions {
        byLayer = Map.copyOf(byLayer);
    }

    public static Fractions every(double share) {
        return new Fractions(share, Map.of());
    }

    public static Fractions byLayer(Map<String, Double> shares) {
        return new Fractions(0, shares);
    }

    /** The share of {@code layer}: {@code every}, or its own (0 when not named). */
    public double of(String layer) {
        return byLayer.isEmpty() ? every : byLayer.getOrDefault(layer, 0.0);
    }

    @Override
    public String toString() {
        return byLayer.isEmpty() ? String.valueOf(every) : new TreeMap<>(byLayer).toString();
    }
}
