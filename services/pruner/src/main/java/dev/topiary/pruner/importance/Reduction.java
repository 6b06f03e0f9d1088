package dev.topiary.pruner.importance;

/** How a group's members' scores for one channel are combined into the group's score. */
public enum Reduction {
    SUM,
    MEAN;

    double[] apply(java.util.List<double[]> members, int size) {
        double[] out = new double[size];
        for (double[] m : members) {
            for (int i = 0; i < size; i++) {
                out[i] += m[i];
            }
        }
        if (this == MEAN && !members.isEmpty()) {
            for (int i = 0; i < size; i++) {
                out[i] /= members.size();
            }
        }
        return out;
    }
}
