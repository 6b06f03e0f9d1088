package dev.topiary.runtime.health;

import java.util.List;

/**
 * What {@code topiary health} found: whether the broker answered and how each stage stands.
 * Healthy when the broker answered and every stage is healthy.
 *
 * @param brokerProblem why the broker could not be reached, or null when it answered
 */
public record HealthReport(String bootstrap, int brokers, String brokerProblem, List<StageHealth> stages) {

    public HealthReport {
        stages = List.copyOf(stages);
    }

    public boolean healthy() {
        return brokerProblem == null && stages.stream().allMatch(StageHealth::healthy);
    }

    /** A few lines for people: the broker, then one row per stage, then the verdict. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        if (brokerProblem != null) {
            out.append("broker ").append(bootstrap).append(": not reachable: ").append(brokerProblem).append('\n');
        } else {
            out.append("broker ").append(bootstrap).append(": reachable (").append(brokers)
                    .append(brokers == 1 ? " broker)\n" : " brokers)\n");
        }
        if (!stages.isEmpty()) {
            int width = Math.max(5, stages.stream().mapToInt(s -> s.name().length()).max().orElse(0));
            out.append(String.format("%-" + width + "s  %7s  %8s  %8s  %s%n", "stage", "members", "assigned", "lag", "status"));
            for (StageHealth s : stages) {
                out.append(String.format("%-" + width + "s  %7d  %8s  %8d  %s%n", s.name(), s.members(),
                        s.assigned() + "/" + s.partitions(), s.lag(), s.healthy() ? "ok" : s.problem()));
            }
        }
        out.append(healthy() ? "healthy" : "unhealthy").append('\n');
        return out.toString();
    }
}
