package dev.topiary.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.pipeline.Condition;
import dev.topiary.runtime.pipeline.Pipeline;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.pipeline.Route;
import dev.topiary.runtime.pipeline.StageSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RegistryTopicsTest {
    private final RegistryTopics topics = RegistryTopics.named("topiary.registry");

    @Test
    void pipelinesContributeInputsTheirDeadLettersOutputsAndRoutes() throws Exception {
        StageSpec train = new StageSpec("train", "train", List.of("models.new"), "models.trained", Map.of(), List.of(), null, 0);
        StageSpec prune = new StageSpec("prune", "prune", List.of("models.trained"), "models.pruned", Map.of(),
                List.of(new Route(Condition.parse("accuracyDrop > 0.01"), "models.rejected", 0)), null, 0);
        PipelineSet set = PipelineSet.of(List.of(new Pipeline("p", "fm", List.of(train, prune), null)));
        assertEquals(Set.of("models.new", "models.new.dlt", "models.trained", "models.trained.dlt", "models.pruned",
                "models.rejected"), RegistryTopics.ofPipelines(set));
    }

    @Test
    void theWatchedPatternTakesNamedTopicsProgressAndTheUsersPatternButNeverTheRegistrysOwn() {
        Pattern p = topics.watched(Set.of("models.new", "a+b"), Pattern.compile("team\\..*"));
        assertTrue(p.matcher("models.new").matches());
        assertTrue(p.matcher("a+b").matches(), "names are quoted, not patterns");
        assertFalse(p.matcher("aab").matches());
        assertTrue(p.matcher(Topics.PROGRESS.name()).matches());
        assertTrue(p.matcher("team.models").matches());
        assertFalse(p.matcher("models.new2").matches());
        Pattern greedy = topics.watched(Set.of(), Pattern.compile(".*"));
        for (String own : List.of("topiary.registry.versions", "topiary.registry.deadletters", "topiary.registry.progress",
                Topics.ALIASES.name(), Topics.ARTIFACTS.name())) {
            assertFalse(greedy.matcher(own).matches(), own);
        }
        assertTrue(greedy.matcher("anything.else").matches());
    }
}
