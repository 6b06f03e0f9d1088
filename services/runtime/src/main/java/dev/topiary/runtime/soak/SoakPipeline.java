package dev.topiary.runtime.soak;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.stage.StageOutput;
import dev.topiary.runtime.stage.Transformation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chain the soak runs: {@value #STAGES} stages, {@code <name>.t0 → s1 → t1 → s2 → t2 → s3 → t3},
 * each a pass-through that appends its name to a small text artifact after a few milliseconds of
 * pretend work. Never a {@code uses:} kind: it exists so the soak measures the chassis (exactly
 * once, rebalances, restarts), not DL4J, which costs seconds per version in metrics alone.
 */
public final class SoakPipeline {
    public static final int STAGES = 3;
    public static final int PARTITIONS = 2;
    static final long WORK_MS = 20;

    private final String name;

    public SoakPipeline(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Topic {@code i}: the input of stage {@code i + 1}; topic {@value #STAGES} is the last. */
    public String topic(int i) {
        return name + ".t" + i;
    }

    public String lastTopic() {
        return topic(STAGES);
    }

    public List<String> deadLetterTopics() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < STAGES; i++) {
            out.add(Topics.deadLetterOf(topic(i)));
        }
        return out;
    }

    /** Every topic of the chain, dead-letter topics included. */
    public List<String> topics() {
        List<String> out = new ArrayList<>();
        for (StageBinding b : bindings()) {
            out.addAll(b.topics());
        }
        return out;
    }

    public List<StageBinding> bindings() {
        List<StageBinding> out = new ArrayList<>();
        for (int i = 1; i <= STAGES; i++) {
            String to = topic(i);
            out.add(new StageBinding(name, "s" + i, "soak", List.of(topic(i - 1)), Set.of(to), Map.of(), "none",
                    (metrics, parent) -> to));
        }
        return out;
    }

    static Transformation passThrough() {
        return input -> {
            long until = System.currentTimeMillis() + WORK_MS;
            while (System.currentTimeMillis() < until) {
                input.cancellation().check();
                Thread.sleep(5);
            }
            byte[] out = (new String(input.artifact(), StandardCharsets.UTF_8) + ";" + input.stage())
                    .getBytes(StandardCharsets.UTF_8);
            return new StageOutput(OperationKind.OTHER, out, ModelFormat.OPAQUE, Map.of(), "none", List.of(), Map.of());
        };
    }
}
