package dev.topiary.pruner;

import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;

/**
 * The pruned model and what pruning measured about it: {@code amount}, {@code steps},
 * {@code finetuneEpochs}, {@code weightSparsity}; structured also {@code macsBefore}/{@code macsAfter}
 * and {@code channelsBefore}/{@code channelsAfter}; with {@code maxAccuracyDrop} the holdout
 * accuracies the search chose by ({@code holdoutAccuracyBefore}/{@code holdoutAccuracyAfter}) and
 * {@code searchProbes}. {@link #STATS} names them all: the prune service declares them as its metrics.
 */
public record PruneResult(Model model, Map<String, Double> stats) {
    public static final Set<String> STATS = Set.of("amount", "steps", "finetuneEpochs", "weightSparsity",
            "macsBefore", "macsAfter", "channelsBefore", "channelsAfter", "holdoutAccuracyBefore",
            "holdoutAccuracyAfter", "searchProbes");

    public PruneResult {
        stats = Map.copyOf(stats);
    }
}
