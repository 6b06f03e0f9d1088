package dev.topiary.gatherer;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.testing.TextModels;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Versions to gather, made by hand as a matrix job would make them, each with a real artifact of its own. */
final class Members {
    private Members() {}

    /** A version made from {@code parent} (its lineage too); its artifact's text is {@code text}. */
    static ModelVersion of(KafkaSettings kafka, String artifactTopic, ModelVersion parent, String text) {
        ModelVersion own = TextModels.publish(kafka, artifactTopic, text);
        return ModelVersion.newBuilder(own).setParents(List.of(parent.getId())).setLineage(parent.getLineage()).build();
    }

    /** Each to {@code topic}, keyed by lineage, in order. */
    static void send(KafkaSettings kafka, String topic, List<ModelVersion> versions) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.plainProducer())) {
            for (ModelVersion v : versions) {
                producer.send(Topics.versions(topic).record(v)).get();
            }
        }
    }
}
