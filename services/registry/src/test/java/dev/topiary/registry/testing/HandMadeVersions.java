package dev.topiary.registry.testing;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.LayerSummary;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.registry.state.VersionEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Versions with metrics written by hand, for tests whose answers are worked out by hand. They
 * carry the artifact reference they are given (a real stored artifact where a test downloads it).
 */
public final class HandMadeVersions {
    private static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000L);
    public static final ArtifactRef NO_ARTIFACT =
            new ArtifactRef("kafka://topiary.artifacts/0/0?chunks=1", "0".repeat(64), 1L, ModelFormat.OPAQUE);

    private HandMadeVersions() {}

    public static ModelVersion version(String id, String lineage, List<String> parents, String stage, OperationKind kind,
                                       String dataset, Map<String, Double> metrics, ArtifactRef artifact) {
        return ModelVersion.newBuilder()
                .setId(id)
                .setParents(parents)
                .setLineage(lineage)
                .setPipeline("hand")
                .setStage(stage)
                .setOperation(new Operation(kind, Map.of()))
                .setArtifact(artifact)
                .setArchitecture(List.of(new LayerSummary("dense0", "DenseLayer", "784->300", 235_500L, 235_500L),
                        new LayerSummary("out", "OutputLayer", "300->10", 3_010L, 3_010L)))
                .setMetrics(new Metrics(dataset, metrics))
                .setChanges(Map.of())
                .setCreatedAt(Instant.ofEpochMilli(CLOCK.addAndGet(1000)))
                .setProducer(new Producer("test", "0"))
                .setLabels(Map.of())
                .build();
    }

    public static ModelVersion version(String id, String lineage, List<String> parents, OperationKind kind,
                                       String dataset, Map<String, Double> metrics) {
        return version(id, lineage, parents, kind.name().toLowerCase(), kind, dataset, metrics, NO_ARTIFACT);
    }

    public static VersionEntry entry(String id, String lineage, List<String> parents, OperationKind kind,
                                     String dataset, Map<String, Double> metrics) {
        return new VersionEntry(version(id, lineage, parents, kind, dataset, metrics), "models.test", 0, 0);
    }
}
