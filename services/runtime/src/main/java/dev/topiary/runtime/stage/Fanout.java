package dev.topiary.runtime.stage;

import dev.topiary.runtime.pipeline.Matrix;

/**
 * Which part of a stage a runner runs. A plain stage is {@link Whole}. A stage with a matrix is
 * two runners: {@link Expand} reads the stage's inputs and writes one job per combination to the
 * stage's jobs topic, all in one transaction with the input's offset; {@link Jobs} reads that topic
 * and runs each job like any input, in its own consumer group, so the instances of the service
 * share the jobs.
 */
public sealed interface Fanout {
    Fanout WHOLE = new Whole();

    /** The consumer group and transactional id of this part differ from the stage's by this. */
    String suffix();

    /** How this part is named beside its stage's name where both parts are listed ({@code topiary health}); empty for a whole stage. */
    String role();

    /** One runner reads the inputs and runs the transformation on each. */
    record Whole() implements Fanout {
        @Override
        public String suffix() {
            return "";
        }

        @Override
        public String role() {
            return "";
        }
    }

    /** Expands each input into one job record per combination of {@code matrix} on {@code jobsTopic}. */
    record Expand(Matrix matrix, String jobsTopic) implements Fanout {
        @Override
        public String suffix() {
            return "";
        }

        @Override
        public String role() {
            return "matrix: inputs into jobs";
        }
    }

    /** Runs the jobs of a matrix stage, one at a time. */
    record Jobs() implements Fanout {
        @Override
        public String suffix() {
            return ".jobs";
        }

        @Override
        public String role() {
            return "matrix: jobs";
        }
    }
}
