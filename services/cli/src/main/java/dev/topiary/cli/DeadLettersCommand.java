package dev.topiary.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topiary.runtime.deadletter.DeadLetter;
import dev.topiary.runtime.deadletter.DeadLetterReplay;
import dev.topiary.runtime.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Inspect dead letters and, once their cause is fixed, republish them to where they came from. */
@Command(name = "deadletters", mixinStandardHelpOptions = true,
        description = "List a dead-letter topic, or replay its records to their source topics exactly once.",
        subcommands = {DeadLettersCommand.ListCommand.class, DeadLettersCommand.ReplayCommand.class})
final class DeadLettersCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cluster and the dead-letter topic both subcommands work on. */
    static final class Target {
        @Mixin ConnectionOptions connection;

        @Parameters(index = "0", paramLabel = "TOPIC", description = "a dead-letter topic, or the input topic it belongs to")
        String topic;

        /** {@code models.trained} and {@code models.trained.dlt} both name the dead letters of models.trained. */
        String deadLetterTopic() {
            return topic.endsWith(Topics.DEAD_LETTER_SUFFIX) ? topic : Topics.deadLetterOf(topic);
        }

        DeadLetterReplay replays() {
            return new DeadLetterReplay(connection.connect(false));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per dead letter: where it sits, age, stage, failure kind, retries, source, replayed, reason.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin Target target;

        @Option(names = "--json", description = "one JSON object per dead letter")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String dlt = target.deadLetterTopic();
            List<DeadLetterReplay.Listed> all = target.replays().list(dlt);
            Instant now = Instant.now();
            if (!json) {
                System.out.printf("%-12s %6s  %-22s %-13s %7s  %-30s %-9s %s%n", "dead letter", "age", "stage", "failure",
                        "retries", "source", "replayed", "reason");
            }
            for (DeadLetterReplay.Listed l : all) {
                DeadLetter d = l.letter();
                if (json) {
                    System.out.println(toJson(l, now));
                } else {
                    System.out.printf("%-12s %6s  %-22s %-13s %7d  %-30s %-9s %s%n", d.partition() + "@" + d.offset(),
                            age(Duration.between(d.at(), now)), d.stage(), d.failure() == null ? "-" : d.failure(),
                            d.retries(), d.source(), l.replayed() == null ? "no" : "yes", d.reason());
                }
            }
            if (!json) {
                long open = all.stream().filter(l -> l.replayed() == null).count();
                System.err.println(all.size() + " dead letter(s) on " + dlt + ", " + open + " not replayed");
            }
            return 0;
        }

        private static String toJson(DeadLetterReplay.Listed l, Instant now) throws JsonProcessingException {
            DeadLetter d = l.letter();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", d.topic());
            m.put("partition", d.partition());
            m.put("offset", d.offset());
            m.put("at", d.at().toString());
            m.put("ageSeconds", Duration.between(d.at(), now).toSeconds());
            m.put("key", d.key());
            m.put("stage", d.stage());
            m.put("failure", d.failure());
            m.put("retries", d.retries());
            m.put("reason", d.reason());
            m.put("sourceTopic", d.sourceTopic());
            m.put("source", d.source());
            m.put("replayed", l.replayed());
            return JSON.writeValueAsString(m);
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Republish dead letters to their source topics, exactly once: a dead letter replayed before is skipped.")
    static final class ReplayCommand implements Callable<Integer> {
        @Mixin Target target;

        @Option(names = "--where", paramLabel = "REASON-REGEX", description = "only dead letters whose reason contains a match")
        String where;

        @Option(names = "--dry-run", description = "say what would be replayed; republish nothing")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Pattern pattern;
            try {
                pattern = where == null ? null : Pattern.compile(where);
            } catch (PatternSyntaxException e) {
                throw new UserError("--where is not a regular expression: " + e.getMessage());
            }
            String dlt = target.deadLetterTopic();
            List<DeadLetter> replayed = target.replays()
                    .replay(dlt, d -> pattern == null || pattern.matcher(d.reason()).find(), dryRun);
            for (DeadLetter d : replayed) {
                System.out.println((dryRun ? "would replay " : "replayed ") + d.partition() + "@" + d.offset() + " -> "
                        + d.sourceTopic() + "  (" + d.reason() + ")");
            }
            System.err.println((dryRun ? "would replay " : "replayed ") + replayed.size() + " dead letter(s) from " + dlt
                    + (dryRun ? "; nothing was republished" : ""));
            return 0;
        }
    }

    private static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172800) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
