package dev.topiary.registry.bench;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.LayerSummary;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.runtime.client.Versions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Version events shaped like a busy deployment's, for {@code topiary bench registry}: each lineage
 * is a root, a trained version, then a random tree of prunes, fine-tunes, cuts, grows and merges
 * (two parents), each with metrics moved from its parent's the way that operation moves them. The
 * events are what the registry reads; they all point at one real stored artifact, which the
 * registry never opens while loading.
 */
final class BenchLineages {
    /** One generated version and the topic a pipeline stage would have written it to. */
    record Placed(String topic, ModelVersion version) {}

    private final Random random;
    private final ArtifactRef artifact;
    private final String topicPrefix;
    private long clock = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    BenchLineages(long seed, ArtifactRef artifact, String topicPrefix) {
        this.random = new Random(seed);
        this.artifact = artifact;
        this.topicPrefix = topicPrefix;
    }

    /** {@code size} versions in one lineage named {@code lineage}, parents before children. */
    List<Placed> lineage(String lineage, int size) {
        List<Placed> out = new ArrayList<>(size);
        Map<String, Double> rootMetrics = new HashMap<>(Map.of("params", 266_610.0, "macs", 266_200.0,
                "artifactBytes", 989_914.0, "nonzeroParams", 266_200.0));
        out.add(new Placed(topicPrefix + ".new", version(lineage, lineage, List.of(), OperationKind.NEW, null, rootMetrics)));
        Map<String, Double> trained = new HashMap<>(rootMetrics);
        trained.put("accuracy", 0.86 + 0.02 * random.nextDouble());
        trained.put("loss", 0.38);
        trained.put("latencyMs", 8.0 + random.nextDouble());
        trained.put("artifactBytes", 2_941_694.0);
        out.add(new Placed(topicPrefix + ".trained", version(lineage + "-1", lineage, List.of(lineage), OperationKind.TRAIN,
                "fashion-mnist", trained)));
        for (int i = 2; i < size; i++) {
            // favour recent versions as parents, as pipelines keep working on their latest output
            int p = 1 + (int) ((out.size() - 1) * Math.sqrt(random.nextDouble()));
            ModelVersion parent = out.get(p).version();
            OperationKind kind = pick();
            List<String> parents = new ArrayList<>(List.of(parent.getId()));
            if (kind == OperationKind.MERGE && out.size() > 3) {
                String other = out.get(1 + random.nextInt(out.size() - 1)).version().getId();
                if (!other.equals(parent.getId())) {
                    parents.add(other);
                }
            }
            Map<String, Double> m = moved(parent.getMetrics().getValues(), kind);
            String topic = topicPrefix + "." + kind.name().toLowerCase() + "d";
            out.add(new Placed(topic, version(lineage + "-" + i, lineage, parents, kind, "fashion-mnist", m)));
        }
        return out;
    }

    private OperationKind pick() {
        double r = random.nextDouble();
        if (r < 0.55) {
            return OperationKind.PRUNE;
        }
        if (r < 0.75) {
            return OperationKind.FINETUNE;
        }
        if (r < 0.85) {
            return OperationKind.CUT;
        }
        return r < 0.95 ? OperationKind.GROW : OperationKind.MERGE;
    }

    private Map<String, Double> moved(Map<String, Double> parent, OperationKind kind) {
        Map<String, Double> m = new HashMap<>(parent);
        double macs = parent.get("macs");
        double acc = parent.get("accuracy");
        double scale = switch (kind) {
            case PRUNE -> 0.4 + 0.55 * random.nextDouble();
            case CUT -> 0.6 + 0.2 * random.nextDouble();
            case GROW -> 1.1 + 0.4 * random.nextDouble();
            default -> 1.0;
        };
        double accMove = switch (kind) {
            case PRUNE -> -0.015 * random.nextDouble() * (1 / scale - 0.8);
            case CUT -> -0.02 * random.nextDouble();
            case GROW, MERGE -> 0.006 * random.nextDouble();
            case FINETUNE -> 0.008 * random.nextDouble();
            default -> 0.0;
        };
        m.put("macs", Math.max(1000, macs * scale));
        m.put("params", Math.max(1410, parent.get("params") * scale));
        m.put("nonzeroParams", Math.max(1000, parent.get("nonzeroParams") * scale));
        m.put("latencyMs", Math.max(0.3, parent.get("latencyMs") * Math.pow(scale, 0.8) * (0.95 + 0.1 * random.nextDouble())));
        m.put("artifactBytes", Math.max(8_000, parent.get("artifactBytes") * scale));
        m.put("accuracy", Math.min(0.95, Math.max(0.1, acc + accMove)));
        return m;
    }

    private ModelVersion version(String id, String lineage, List<String> parents, OperationKind kind, String dataset,
                                 Map<String, Double> metrics) {
        clock += 1000;
        long dense0 = Math.round(metrics.get("params") * 0.88);
        return ModelVersion.newBuilder()
                .setId(id)
                .setParents(parents)
                .setLineage(lineage)
                .setPipeline("bench")
                .setStage(kind.name().toLowerCase())
                .setOperation(new Operation(kind, Map.of("seed", String.valueOf(random.nextInt(100)))))
                .setArtifact(artifact)
                .setArchitecture(List.of(new LayerSummary("layer0", "DenseLayer", "784->300", dense0, dense0),
                        new LayerSummary("layer1", "DenseLayer", "300->100", 30_100L, 30_100L),
                        new LayerSummary("layer2", "OutputLayer", "100->10", 1_010L, 1_010L)))
                .setMetrics(new Metrics(dataset, metrics))
                .setChanges(Map.of())
                .setCreatedAt(Instant.ofEpochMilli(clock))
                .setProducer(new Producer("bench", Versions.TOPIARY))
                .setLabels(Map.of())
                .build();
    }
}
