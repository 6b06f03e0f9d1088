package dev.topiary.runtime.stage;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.pipeline.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The input side of a matrix stage: each input record becomes one record per combination on the
 * stage's jobs topic, the input's bytes unchanged and the combination in headers
 * ({@link MatrixJob}), keyed by the id the job's output will have so the jobs spread over the
 * partitions. The runner writes them and the input's offset in one transaction, so a redelivered
 * input can only ever have made all of its jobs once, or none. The input is decoded first: bad
 * input is dead-lettered here, once, rather than once per job.
 */
final class MatrixExpansion implements RecordWork {
    private final StageBinding binding;
    private final Matrix matrix;
    private final String jobsTopic;

    MatrixExpansion(StageBinding binding, Fanout.Expand expand) {
        this.binding = binding;
        this.matrix = expand.matrix();
        this.jobsTopic = expand.jobsTopic();
    }

    @Override
    public Outcome process(ConsumerRecord<String, byte[]> record, Cancellation cancellation) {
        List<String> parentIds;
        try {
            parentIds = StageWork.sorted(binding.decoder().parents(record.topic(), record.value())).stream()
                    .map(ModelVersion::getId).toList();
        } catch (RuntimeException e) {
            return new Outcome.DeadLetter(StageWork.describe(e), e);
        }
        List<Map<String, Object>> combinations = matrix.combinations();
        List<ProducerRecord<String, byte[]>> jobs = new ArrayList<>();
        for (int i = 0; i < combinations.size(); i++) {
            MatrixJob job = MatrixJob.of(i, combinations.size(), combinations.get(i));
            String outputId = VersionIds.derive(parentIds, binding.pipeline(), binding.stage(), job.identity(binding.params()));
            jobs.add(new ProducerRecord<>(jobsTopic, null, outputId, record.value(), job.headers()));
        }
        return new Outcome.Jobs(jobs, "expanded " + String.join(",", parentIds) + " into " + jobs.size()
                + " matrix jobs -> " + jobsTopic);
    }
}
