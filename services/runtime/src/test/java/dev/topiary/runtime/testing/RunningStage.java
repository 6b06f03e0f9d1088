package dev.topiary.runtime.testing;

import dev.topiary.runtime.artifact.ArtifactStore;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.stage.ProgressPublisher;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.stage.StageBinding;
import dev.topiary.runtime.stage.StageParams;
import dev.topiary.runtime.stage.StageRunner;
import dev.topiary.runtime.stage.Transformation;
import java.util.List;

/** A stage runner on its own thread, for tests; closing stops it. */
public final class RunningStage implements AutoCloseable {
    private final StageRunner runner;
    private final Thread thread;
    private final ProgressPublisher progress;

    public RunningStage(StageBinding binding, Transformation transformation, KafkaSettings settings, int partitions) {
        this(binding, transformation, settings, partitions, Artifacts.kafka(settings, Artifacts.DEFAULT_MAX_BYTES),
                RetryPolicy.DEFAULT);
    }

    public RunningStage(StageBinding binding, Transformation transformation, KafkaSettings settings, int partitions,
                        ArtifactStore artifacts, RetryPolicy retryPolicy) {
        try (TopicAdmin admin = new TopicAdmin(settings)) {
            admin.ensure(binding.topics(), partitions);
            admin.ensure(List.of(Topics.ARTIFACTS.name(), Topics.PROGRESS.name()), 1);
        }
        this.progress = new ProgressPublisher(settings);
        this.runner = new StageRunner(binding, transformation, settings, artifacts, Artifacts.DEFAULT_MAX_BYTES,
                TestBroker.unique("instance"), "test", progress, retryPolicy);
        this.thread = new Thread(runner, "stage-" + binding.stage());
        thread.start();
    }

    /** A runner of the test-copy kind. */
    public static RunningStage copy(StageBinding binding, KafkaSettings settings, int partitions) {
        return new RunningStage(binding, copyOf(binding), settings, partitions);
    }

    /** The test-copy transformation for {@code binding}'s params. */
    public static Transformation copyOf(StageBinding binding) {
        return new CopyKind().create(new StageParams(binding.stage(), binding.params()));
    }

    public StageRunner runner() {
        return runner;
    }

    @Override
    public void close() throws InterruptedException {
        runner.close();
        thread.join(30_000);
        progress.close();
    }
}
