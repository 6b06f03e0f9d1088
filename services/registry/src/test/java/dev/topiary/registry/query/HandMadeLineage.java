package dev.topiary.registry.query;

import static dev.topiary.registry.testing.HandMadeVersions.entry;

import dev.topiary.events.OperationKind;
import dev.topiary.registry.state.VersionEntry;
import java.util.List;
import java.util.Map;

/**
 * One lineage with metrics chosen so that frontier and best have answers worked out by hand:
 *
 * <pre>
 * id  kind      dataset  accuracy  macs  latencyMs
 * r   NEW       -        -         1000  -
 * t1  TRAIN     fm       0.900     1000  10
 * t2  FINETUNE  fm       0.910     1000  10.5    the reference: most accurate trained
 * p1  PRUNE     fm       0.905      500   6
 * p5  PRUNE     fm       0.905      500   6.5    ties p1 on accuracy and MACs
 * p2  PRUNE     fm       0.899      250   4      0.011 below t2
 * p3  PRUNE     fm       0.880      600   7      beaten by p1 on both
 * p4  PRUNE     fm       0.850      100   3
 * q   PRUNE     mnist    0.990       50   1      another data set: never compared with the rest
 * </pre>
 */
final class HandMadeLineage {
    static final List<VersionEntry> VERSIONS = List.of(
            entry("r", "r", List.of(), OperationKind.NEW, null, Map.of("macs", 1000.0)),
            entry("t1", "r", List.of("r"), OperationKind.TRAIN, "fm", Map.of("accuracy", 0.900, "macs", 1000.0, "latencyMs", 10.0)),
            entry("t2", "r", List.of("t1"), OperationKind.FINETUNE, "fm", Map.of("accuracy", 0.910, "macs", 1000.0, "latencyMs", 10.5)),
            entry("p1", "r", List.of("t2"), OperationKind.PRUNE, "fm", Map.of("accuracy", 0.905, "macs", 500.0, "latencyMs", 6.0)),
            entry("p5", "r", List.of("t2"), OperationKind.PRUNE, "fm", Map.of("accuracy", 0.905, "macs", 500.0, "latencyMs", 6.5)),
            entry("p2", "r", List.of("p1"), OperationKind.PRUNE, "fm", Map.of("accuracy", 0.899, "macs", 250.0, "latencyMs", 4.0)),
            entry("p3", "r", List.of("t1"), OperationKind.PRUNE, "fm", Map.of("accuracy", 0.880, "macs", 600.0, "latencyMs", 7.0)),
            entry("p4", "r", List.of("p2"), OperationKind.PRUNE, "fm", Map.of("accuracy", 0.850, "macs", 100.0, "latencyMs", 3.0)),
            entry("q", "r", List.of("t1"), OperationKind.PRUNE, "mnist", Map.of("accuracy", 0.990, "macs", 50.0, "latencyMs", 1.0)));

    private HandMadeLineage() {}

    static List<String> ids(List<VersionEntry> entries) {
        return entries.stream().map(VersionEntry::id).toList();
    }
}
