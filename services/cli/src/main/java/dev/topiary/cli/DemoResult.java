package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import java.util.List;

/** What one lineage came to: its versions in order, whether it reached a final topic, and its dead letters. */
record DemoResult(List<ModelVersion> versions, boolean reachedEnd, List<String> deadLetters) {}
