package dev.topiary.merger.combine;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.surgery.graph.Network;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Greedy soup (Wortsman et al. 2022, recipe 1): the ingredients sorted by accuracy on the data
 * set's holdout, best first; starting from the best alone, each next one joins the uniform soup
 * only if the soup's holdout accuracy does not fall. Every choice is made on the holdout, never on
 * the test split the published version reports, so the soup is at least as good as the best
 * ingredient on the holdout by construction.
 */
public final class GreedySoup {
    private GreedySoup() {}

    /**
     * @param kept indices into the ingredients, in the order they joined
     * @param ingredientAccuracy each ingredient's holdout accuracy, in the ingredients' order
     */
    public record Result(Network soup, List<Integer> kept, double holdoutAccuracy, double[] ingredientAccuracy) {}

    public static Result of(List<Network> ingredients, Dataset data) {
        double[] accuracy = ingredients.stream().mapToDouble(n -> holdoutAccuracy(n, data)).toArray();
        List<Integer> order = IntStream.range(0, ingredients.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -accuracy[i]).thenComparing(i -> i)).toList();
        List<Integer> kept = new ArrayList<>(List.of(order.get(0)));
        Network soup = ingredients.get(order.get(0));
        double best = accuracy[order.get(0)];
        for (int i : order.subList(1, order.size())) {
            List<Network> candidate = new ArrayList<>();
            kept.forEach(k -> candidate.add(ingredients.get(k)));
            candidate.add(ingredients.get(i));
            Network tried = Soup.uniform(candidate);
            double a = holdoutAccuracy(tried, data);
            if (a >= best) {
                kept.add(i);
                soup = tried;
                best = a;
            }
        }
        return new Result(kept.size() == 1 ? soup.copy() : soup, List.copyOf(kept), best, accuracy);
    }

    static double holdoutAccuracy(Network net, Dataset data) {
        return ModelMetrics.holdoutScore(net.model(), data).accuracy();
    }
}
