package dev.topiary.merger;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a merge stage does; the first ones change one model, the others combine a gathered set. */
public enum MergeMethod {
    FOLD_BATCHNORM(false),
    FUSE_LINEAR(false),
    NEURONS(false),
    LAYERS(false),
    AVERAGE(true),
    GREEDY_SOUP(true),
    TASK_ARITHMETIC(true),
    TIES(true),
    DARE(true),
    SLERP(true),
    ALIGN(true);

    private final boolean severalModels;

    MergeMethod(boolean severalModels) {
        this.severalModels = severalModels;
    }

    /** True for the methods that combine the members of a set; false for those that change one model. */
    public boolean severalModels() {
        return severalModels;
    }

    /** True for the methods built on task vectors from a common parent. */
    public boolean usesTaskVectors() {
        return this == TASK_ARITHMETIC || this == TIES || this == DARE;
    }

    /** How pipeline files spell it: {@code fold-batchnorm}, {@code greedy-soup}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Set<String> keys() {
        return Arrays.stream(values()).map(MergeMethod::key).collect(Collectors.toSet());
    }

    public static MergeMethod of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
