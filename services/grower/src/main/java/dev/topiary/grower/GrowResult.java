package dev.topiary.grower;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;

/**
 * A grown network and what growing measured, by short name ({@link #STATS}; published as
 * {@code grow.<name>}).
 *
 * @param limit why a guard stopped the grow (the model is then the input, unchanged), or null
 * @param added the layers and vertices the grow inserted (deeper, blocks), by name
 */
public record GrowResult(Model model, Map<String, Double> stats, String limit, List<String> added) {
    /** Parameters before and after, units (wider) or layers (deeper, blocks, duplicate) added, the largest change
     *  of an output probability on the sample rows and the holdout accuracy, both before training on, 1 when a
     *  guard stopped the grow, epochs trained after. */
    public static final Set<String> STATS = Set.of("paramsBefore", "paramsAfter", "unitsAdded", "layersAdded",
            "maxOutputChange", "holdoutAccuracyGrown", "limitReached", "finetuneEpochs");

    public GrowResult {
        stats = Map.copyOf(stats);
        added = List.copyOf(added);
    }
}
