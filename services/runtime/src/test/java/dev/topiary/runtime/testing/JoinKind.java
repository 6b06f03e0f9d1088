package dev.topiary.runtime.testing;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelSet;
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
import java.util.stream.Collectors;

/**
 * A test-only kind for stages with several parents ({@code uses: test-join}), as a merge behind a
 * gatherer will be: the artifact is the parents' texts joined with {@code +} in the order it is
 * given them (by id), and the labels say what it saw of the gathered set ({@code join.parents},
 * {@code join.state}, {@code join.expected}, {@code join.failed}). No params.
 */
public final class JoinKind implements ServiceKind {
    public static final String NAME = "test-join";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: joins the texts of several parents";
    }

    @Override
    public Transformation create(StageParams params) {
        params.requireOnly(Set.of());
        return input -> {
            String text = input.parents().stream().map(p -> new String(p.artifact(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("+"));
            Map<String, String> labels = new TreeMap<>();
            labels.put("join.parents", String.valueOf(input.parents().size()));
            ModelSet set = input.gathered();
            if (set != null) {
                labels.put("join.state", set.getState().name());
                labels.put("join.expected", String.valueOf(set.getExpected()));
                labels.put("join.failed", String.valueOf(set.getFailed()));
            }
            return new StageOutput(OperationKind.MERGE, text.getBytes(StandardCharsets.UTF_8), ModelFormat.OPAQUE,
                    Map.of(), "none", List.of(), labels);
        };
    }
}
