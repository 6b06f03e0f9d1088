package dev.topiary.runtime.service;

import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.nio.file.Path;

/**
 * Which artifact store a process writes to.
 *
 * @param store {@code kafka} (default) or {@code file}
 * @param dir the directory of the file store; with the kafka store, where {@code file:} refs may
 *     be read from (null: nowhere)
 * @param maxBytes the largest artifact accepted, on put and on get
 */
public record ArtifactOptions(String store, Path dir, long maxBytes) {
    public static final ArtifactOptions DEFAULT = new ArtifactOptions("kafka", null, Artifacts.DEFAULT_MAX_BYTES);

    public ArtifactOptions {
        if (!store.equals("kafka") && !store.equals("file")) {
            throw new IllegalArgumentException("artifact store must be 'kafka' or 'file', not '" + store + "'");
        }
        if (store.equals("file") && dir == null) {
            throw new IllegalArgumentException("the file artifact store needs a directory (--artifact-dir)");
        }
    }

    public Artifacts open(KafkaSettings settings) {
        return store.equals("file") ? Artifacts.files(settings, dir, maxBytes) : Artifacts.kafka(settings, maxBytes, dir);
    }
}
