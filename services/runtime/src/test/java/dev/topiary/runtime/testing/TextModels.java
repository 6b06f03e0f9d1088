package dev.topiary.runtime.testing;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Publishes the text artifacts {@link CopyKind} understands. */
public final class TextModels {
    private TextModels() {}

    public static ModelVersion publish(KafkaSettings settings, String topic, String text) {
        try (VersionPublisher p = new VersionPublisher(settings, Artifacts.kafka(settings, Artifacts.DEFAULT_MAX_BYTES))) {
            return p.publish(root(text), topic);
        }
    }

    public static VersionPublisher.RootVersion root(String text) {
        return new VersionPublisher.RootVersion(text.getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE,
                OperationKind.IMPORT, "test", Map.of(), null, List.of(), Map.of());
    }
}
