package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ArtifactRef;
import dev.topiary.events.Metrics;
import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Operation;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Producer;
import dev.topiary.runtime.events.Events;
import dev.topiary.runtime.metrics.MetricNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last column: a change against the parent, and for a merge of several against the best of them. */
class VersionTableTest {
    static {
        Events.MODEL_VERSION.getClass(); // loading Events tells Avro to trust the event classes the builders below use
    }

    @Test
    void aMergeIsComparedWithItsBestParentNotTheFirstById() {
        ModelVersion a = v("a", OperationKind.FINETUNE, List.of("r"), Map.of(MetricNames.ACCURACY, 0.852), Map.of());
        ModelVersion b = v("b", OperationKind.FINETUNE, List.of("r"), Map.of(MetricNames.ACCURACY, 0.860), Map.of());
        ModelVersion soup = v("s", OperationKind.MERGE, List.of("a", "b"),
                Map.of(MetricNames.ACCURACY, 0.860, MetricNames.BEST_PARENT_ACCURACY, 0.860), Map.of(MetricNames.ACCURACY, 0.008));
        ModelVersion tuned = v("t", OperationKind.FINETUNE, List.of("s"), Map.of(MetricNames.ACCURACY, 0.865),
                Map.of(MetricNames.ACCURACY, 0.005));
        String table = VersionTable.render(List.of(a, b, soup, tuned));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("s ") && l.endsWith("vs the best parent: acc +0.00 pt")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("t ") && l.endsWith("acc +0.50 pt")), table);
    }

    private static ModelVersion v(String id, OperationKind kind, List<String> parents, Map<String, Double> metrics,
                                  Map<String, Double> changes) {
        return ModelVersion.newBuilder().setId(id).setParents(parents).setLineage("r").setPipeline("p").setStage("st")
                .setOperation(new Operation(kind, Map.of())).setArtifact(new ArtifactRef("file:///x", "00", 0L, ModelFormat.OPAQUE))
                .setMetrics(new Metrics(null, metrics)).setChanges(changes).setCreatedAt(Instant.EPOCH)
                .setProducer(new Producer("test", "0")).build();
    }
}
