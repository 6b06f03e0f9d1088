package dev.topiary.runtime.testing;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.stage.ServiceKind;
import dev.topiary.runtime.stage.StageOutput;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.Transformation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A test-only service kind ({@code uses: test-copy}) for exercising the chassis without DL4J.
 * Its artifacts are text such as {@code accuracy=0.91;params=1000}: the output appends the stage
 * name (so it is a new artifact) and reports the numbers in the text as metrics. Params:
 * {@code sleepMs} (work that long, checking cancellation), {@code failOn} (throw if the artifact
 * contains this text), {@code tag} (appended to the text, so each value of a matrix makes its own
 * artifact).
 */
public final class CopyKind implements ServiceKind {
    public static final String NAME = "test-copy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: copies a text artifact, reporting the numbers in it as metrics";
    }

    @Override
    public Transformation create(StageParams params) {
        params.requireOnly(Set.of("sleepMs", "failOn", "tag"));
        long sleepMs = params.getLong("sleepMs", 0);
        String failOn = params.getString("failOn", null);
        String tag = params.getString("tag", null);
        return input -> {
            String text = new String(input.artifact(), StandardCharsets.UTF_8);
            if (failOn != null && text.contains(failOn)) {
                throw new IllegalArgumentException("artifact asks to fail: contains '" + failOn + "'");
            }
            long until = System.currentTimeMillis() + sleepMs;
            while (System.currentTimeMillis() < until) {
                input.cancellation().check();
                Thread.sleep(20);
            }
            Map<String, Double> metrics = new TreeMap<>();
            for (String part : text.split(";")) {
                String[] kv = part.split("=", 2);
                if (kv.length == 2) {
                    try {
                        metrics.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
                    } catch (NumberFormatException notANumber) {
                        // labels such as stage names are not metrics
                    }
                }
            }
            byte[] out = (text + ";stage=" + input.stage() + (tag == null ? "" : ";tag=" + tag)).getBytes(StandardCharsets.UTF_8);
            return new StageOutput(OperationKind.OTHER, out, ModelFormat.OPAQUE, metrics, "none", List.of(), Map.of());
        };
    }
}
