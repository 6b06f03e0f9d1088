package dev.topiary.pruner;

import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * The pruned model and what pruning measured about it, e.g. {@code weightSparsity},
 * {@code macsBefore}/{@code macsAfter}, {@code channelsBefore}/{@code channelsAfter}, and with
 * {@code maxAccuracyDrop} the {@code amount} found and {@code accuracyBefore}/{@code accuracyAfter}.
 */
public record PruneResult(Model model, Map<String, Double> stats) {
    public PruneResult {
        stats = Map.copyOf(stats);
    }
}
