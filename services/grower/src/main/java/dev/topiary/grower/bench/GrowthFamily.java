package dev.topiary.grower.bench;

import dev.topiary.nn.model.ModelFactory;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * A compute-saved row's two networks, the target and the one half its size that grows into it,
 * and the grow between them: the 784-1024-1024-10 from 784-512-512-10 by Net2WiderNet
 * (with the symmetry-breaking noise), and resmlp 8 x 256 from 4 x 256 by zero-started blocks
 * after every block (exact; nothing to break, each new block has its own random first layer).
 */
enum GrowthFamily {
    MLP("mlp 784-1024-1024-10", "mlp 784-512-512-10", "half width") {
        @Override
        Model target(long seed) {
            return ModelFactory.mlp(seed, new int[] {784, 1024, 1024, 10});
        }

        @Override
        Model half(long seed) {
            return ModelFactory.mlp(seed, new int[] {784, 512, 512, 10});
        }

        @Override
        Map<String, Object> grow(double noise) {
            Map<String, Object> spec = new HashMap<>(Map.of("method", "wider", "factor", 2, "seed", 3));
            if (noise > 0) {
                spec.put("noise", noise);
            }
            return spec;
        }

        @Override
        String describeGrow(double noise) {
            return "wider x2 noise " + noise;
        }
    },
    RESMLP("resmlp 8x256", "resmlp 4x256", "half the blocks") {
        @Override
        Model target(long seed) {
            return ModelFactory.resmlp(784, 256, 8, 10, seed);
        }

        @Override
        Model half(long seed) {
            return ModelFactory.resmlp(784, 256, 4, 10, seed);
        }

        @Override
        Map<String, Object> grow(double noise) {
            return Map.of("method", "blocks", "every", 1);
        }

        @Override
        String describeGrow(double noise) {
            return "blocks every 1";
        }
    };

    final String targetName;
    final String halfName;
    final String halfDescription;

    GrowthFamily(String targetName, String halfName, String halfDescription) {
        this.targetName = targetName;
        this.halfName = halfName;
        this.halfDescription = halfDescription;
    }

    abstract Model target(long seed);

    abstract Model half(long seed);

    /** The grow's parameters; {@code noise} is the widening's symmetry breaker where there is one. */
    abstract Map<String, Object> grow(double noise);

    abstract String describeGrow(double noise);
}
