package dev.topiary.runtime.stage;

import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Publishes heartbeats of long work to the progress topic. Progress is advisory, outside the
 * stage's transaction: a lost heartbeat costs a redraw, never a model.
 */
public final class ProgressPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    public ProgressPublisher(KafkaSettings settings) {
        this.producer = new KafkaProducer<>(settings.plainProducer());
    }

    /** @param job the matrix job the work is, or null */
    ProgressReporter reporterFor(String jobId, String inputId, StageBinding binding, MatrixJob job) {
        return (epoch, epochs, batch, batches, loss, eta, message) ->
                send(jobId, inputId, binding, job, ProgressState.RUNNING, epoch, epochs, batch, batches, loss, eta, message);
    }

    void done(String jobId, String inputId, StageBinding binding, MatrixJob job) {
        send(jobId, inputId, binding, job, ProgressState.DONE, 0, 0, 0, 0, null, 0.0, null);
    }

    /** The work ended in a report and no version (a dry run): DONE, with the report as the message. */
    void reported(String jobId, String inputId, StageBinding binding, MatrixJob job, String report) {
        send(jobId, inputId, binding, job, ProgressState.DONE, 0, 0, 0, 0, null, 0.0, report);
    }

    void failed(String jobId, String inputId, StageBinding binding, MatrixJob job, String why) {
        send(jobId, inputId, binding, job, ProgressState.FAILED, 0, 0, 0, 0, null, null, why);
    }

    private void send(String jobId, String inputId, StageBinding binding, MatrixJob job, ProgressState state, int epoch,
                      int epochs, int batch, int batches, Double loss, Double eta, String message) {
        Progress p = new Progress(jobId, inputId, binding.pipeline(), binding.stage(), state, epoch, epochs, batch,
                batches, loss, eta, message, Instant.now(), job == null ? null : job.ref(), null);
        producer.send(Topics.PROGRESS.record(p));
    }

    @Override
    public void close() {
        producer.close();
    }
}
