package dev.topiary.grower.bench;

import dev.topiary.grower.wider.Widening;
import dev.topiary.nn.model.ModelFactory;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * A compute-saved row's networks, the target, the one half its size that grows into it and the
 * one a quarter its size where a progressive path starts, and the grow between them (the same for
 * each doubling): the 784-1024-1024-10 from 784-512-512-10 by Net2WiderNet
 * (copies with the symmetry-breaking noise, or fresh units), and resmlp 8 x 256 from 4 x 256 by zero-started blocks
 * after every block (exact; nothing to break, each new block has its own random first layer).
 */
enum GrowthFamily {
    MLP("mlp 784-1024-1024-10", "mlp 784-512-512-10", "half width", "mlp 784-256-256-10", "quarter width") {
        @Override
        Model target(long seed) {
            return ModelFactory.mlp(seed, new int[] {784, 1024, 1024, 10});
        }

        @Override
        Model half(long seed) {
            return ModelFactory.mlp(seed, new int[] {784, 512, 512, 10});
        }

        @Override
        Model quarter(long seed) {
            return ModelFactory.mlp(seed, new int[] {784, 256, 256, 10});
        }

        @Override
        Map<String, Object> grow(Widening.Init init, double noise) {
            Map<String, Object> spec = new HashMap<>(Map.of("method", "wider", "factor", 2, "seed", 3));
            if (init == Widening.Init.FRESH) {
                spec.put("init", "fresh");
            } else if (noise > 0) {
                spec.put("noise", noise);
            }
            return spec;
        }

        @Override
        String describeGrow(Widening.Init init, double noise) {
            return init == Widening.Init.FRESH ? "wider x2 fresh units" : "wider x2 noise " + noise;
        }
    },
    RESMLP("resmlp 8x256", "resmlp 4x256", "half the blocks", "resmlp 2x256", "a quarter of the blocks") {
        @Override
        Model target(long seed) {
            return ModelFactory.resmlp(784, 256, 8, 10, seed);
        }

        @Override
        Model half(long seed) {
            return ModelFactory.resmlp(784, 256, 4, 10, seed);
        }

        @Override
        Model quarter(long seed) {
            return ModelFactory.resmlp(784, 256, 2, 10, seed);
        }

        @Override
        Map<String, Object> grow(Widening.Init init, double noise) {
            return Map.of("method", "blocks", "every", 1);
        }

        @Override
        String describeGrow(Widening.Init init, double noise) {
            return "blocks every 1";
        }
    };

    final String targetName;
    final String halfName;
    final String halfDescription;
    final String quarterName;
    final String quarterDescription;

    GrowthFamily(String targetName, String halfName, String halfDescription, String quarterName, String quarterDescription) {
        this.targetName = targetName;
        this.halfName = halfName;
        this.halfDescription = halfDescription;
        this.quarterName = quarterName;
        this.quarterDescription = quarterDescription;
    }

    abstract Model target(long seed);

    abstract Model half(long seed);

    /** Half of half: where a progressive path starts, grown twice by the same {@link #grow}. */
    abstract Model quarter(long seed);

    /**
     * The grow's parameters; {@code init} and {@code noise} say how a widening's new units start
     * (copies with that noise as the symmetry breaker, or fresh units), where there is one.
     */
    abstract Map<String, Object> grow(Widening.Init init, double noise);

    abstract String describeGrow(Widening.Init init, double noise);
}
