package dev.topiary.cli;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.Progress;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.events.VersionJson;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints versions (or gathered sets) as they arrive on a topic, with a live progress bar for each
 * job in flight and each set being gathered, and a line for each matrix job and set that finishes.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print versions as they arrive on a topic, with progress of the jobs in flight.")
final class WatchCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = "--from-beginning", description = "start with the versions already on the topic")
    boolean fromBeginning;

    @Option(names = "--count", description = "exit after this many versions")
    Integer count;

    @Option(names = "--json", description = "one JSON object per line, no progress bars")
    boolean json;

    @Override
    public Integer call() {
        KafkaSettings settings = connection.connect(false);
        int seen = 0;
        try (TopicReader versions = new TopicReader(settings); TopicReader progress = new TopicReader(settings)) {
            versions.open(topic, fromBeginning);
            ProgressBars bars = json ? null : new ProgressBars(System.out);
            if (bars != null) {
                progress.open(Topics.PROGRESS.name(), false);
            }
            while (count == null || seen < count) {
                for (ConsumerRecord<String, byte[]> r : versions.poll(Duration.ofMillis(250))) {
                    String line;
                    try {
                        line = describe(r);
                    } catch (RuntimeException e) {
                        System.err.println("skipping record at " + r.topic() + "/" + r.partition() + "@" + r.offset()
                                + ": " + e.getMessage());
                        continue;
                    }
                    if (bars != null) {
                        bars.clear();
                    }
                    System.out.println(line);
                    seen++;
                    if (count != null && seen >= count) {
                        break;
                    }
                }
                if (bars != null) {
                    for (ConsumerRecord<String, byte[]> r : progress.poll(Duration.ZERO)) {
                        try {
                            Progress p = Topics.PROGRESS.decode(r.value());
                            String finished = bars.update(p);
                            if (finished != null) {
                                bars.clear();
                                System.out.println(finished);
                            }
                        } catch (RuntimeException ignored) {
                            // progress is advisory; a bad heartbeat is not worth a line
                        }
                    }
                    bars.draw();
                }
                System.out.flush();
            }
        }
        return 0;
    }

    /** A version, or a gathered set (what a {@code PIPELINE.STAGE.gathered} topic holds). */
    private String describe(ConsumerRecord<String, byte[]> r) {
        try {
            ModelVersion v = Topics.versions(r.topic()).decode(r.value());
            return json ? VersionJson.of(v) : VersionLine.of(v);
        } catch (RuntimeException notAVersion) {
            ModelSet set;
            try {
                set = Topics.modelSets(r.topic()).decode(r.value());
            } catch (RuntimeException notASet) {
                throw notAVersion;
            }
            return json ? VersionJson.of(set) : VersionLine.of(set);
        }
    }
}
