package dev.topiary.surgery.graph;

import java.util.List;

/**
 * A set of channels that must change together: keeping, repeating or permuting channel {@code i}
 * of the group does the same to output {@code i} of every producer, entry {@code i} of every
 * BatchNormalization parameter, and the input rows for {@code i} of every consumer. Producers tied
 * by an element-wise vertex share one group.
 *
 * @param id index of the group in its {@link DependencyGraph}
 * @param size number of channels now
 * @param producers layers whose weight columns or filters create the channels
 * @param normalizations BatchNormalization layers (and other pass-through layers with
 *     parameters) whose per-channel parameters follow the channels
 * @param carriers every node whose output tensor is exactly these channels (where activations are observed)
 * @param consumers layers reading the channels
 * @param fixedReason why the group may not change (network input, output layer, reshape to CNN),
 *     or null when it may
 */
public record ChannelGroup(
        int id,
        int size,
        List<String> producers,
        List<String> normalizations,
        List<String> carriers,
        List<Consumer> consumers,
        String fixedReason) {

    public boolean prunable() {
        return fixedReason == null;
    }

    /** The name used in stats and per-layer overrides: the first producer, or the first carrier. */
    public String name() {
        return producers.isEmpty() ? carriers.get(0) : producers.get(0);
    }
}
