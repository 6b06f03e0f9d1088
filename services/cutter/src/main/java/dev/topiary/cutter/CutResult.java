package dev.topiary.cutter;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;

/**
 * The cut (and healed) model and what cutting measured: {@code cuts} and {@code units} (how many
 * went, of how many candidates), {@code layersRemoved}, {@code holdoutAccuracyBefore},
 * {@code holdoutAccuracyBeforeHeal}, {@code holdoutAccuracyAfter} (the holdout, which chose; the
 * version's reported accuracy is the test split's), {@code finetuneEpochs}, {@code healKept} (1 when
 * the healed model is published, 0 when healing lost holdout accuracy and the cut model is), {@code bridgeParams},
 * {@code searchProbes} (with {@code maxAccuracyDrop}), and the criterion's score of the chosen cut
 * under the criterion's name ({@code angular}, {@code cosine}, {@code loss}). {@link #STATS} names
 * them all: the cut service declares them as its metrics ({@code cut.<name>}).
 *
 * @param removed the names of the cut units, in topological order
 * @param scores every candidate's score (by unit name, {@code first..last} for a run)
 */
public record CutResult(Model model, List<String> removed, Map<String, Double> scores, Map<String, Double> stats) {
    public static final Set<String> STATS = Set.of("cuts", "units", "layersRemoved", "holdoutAccuracyBefore",
            "holdoutAccuracyBeforeHeal", "holdoutAccuracyAfter", "finetuneEpochs", "healKept", "bridgeParams", "searchProbes",
            "angular", "cosine", "loss");

    public CutResult {
        removed = List.copyOf(removed);
        scores = Map.copyOf(scores);
        stats = Map.copyOf(stats);
    }
}
