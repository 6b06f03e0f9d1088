package dev.topiary.surgery.index;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * What happens to the channels of one group: new channel {@code j} is old channel
 * {@code source[j]}. Four kinds, one representation:
 * <ul>
 *   <li>{@link #keep}: a subset in ascending order (structured pruning);
 *   <li>{@link #repeat}: channels copied, and every consumer's rows for a copied channel divided
 *       by its number of copies, so the consumers' sums (and the network's function) stay the same
 *       (Net2WiderNet, Chen et al., 2016);
 *   <li>{@link #permute}: a reordering (aligning two networks' units before a merge);
 *   <li>{@link #extend}: new channels that consumers read with weight 0 (units added silent).
 * </ul>
 * An {@link IndexPlan} applies maps to a network; producers, their BatchNormalization and every
 * consumer follow, across residual adds and merges.
 *
 * <pre>{@code
 * IndexMap prune = IndexMap.keep(16, new int[] {0, 2, 3, 9});
 * IndexMap wider = IndexMap.widen(16, new int[] {4, 4, 11});   // 19 channels: 4 three times, 11 twice
 * IndexMap align = IndexMap.permute(new int[] {3, 0, 2, 1});
 * }</pre>
 *
 * @param oldSize channels of the group before
 * @param source for each new channel, the old channel it copies
 * @param consumerScale for each new channel, the factor on consumers' input rows (1 unless repeated;
 *        0 for the new channels of {@link #extend})
 */
public record IndexMap(int oldSize, int[] source, double[] consumerScale) {

    public IndexMap {
        if (source.length == 0) {
            throw new IllegalArgumentException("an index map must keep at least one channel");
        }
        for (int s : source) {
            if (s < 0 || s >= oldSize) {
                throw new IllegalArgumentException("channel " + s + " is outside 0.." + (oldSize - 1));
            }
        }
        if (consumerScale.length != source.length) {
            throw new IllegalArgumentException("one consumer scale per new channel needed");
        }
        source = source.clone();
        consumerScale = consumerScale.clone();
    }

    /** Keeps the channels {@code kept} (strictly ascending) of {@code size}. */
    public static IndexMap keep(int size, int[] kept) {
        for (int i = 1; i < kept.length; i++) {
            if (kept[i] <= kept[i - 1]) {
                throw new IllegalArgumentException("kept channels must be strictly ascending: " + Arrays.toString(kept));
            }
        }
        return new IndexMap(size, kept, ones(kept.length));
    }

    /** Reorders all channels: new channel {@code j} is old channel {@code order[j]}. */
    public static IndexMap permute(int[] order) {
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(sorted, IntStream.range(0, order.length).toArray())) {
            throw new IllegalArgumentException("not a permutation of 0.." + (order.length - 1) + ": " + Arrays.toString(order));
        }
        return new IndexMap(order.length, order, ones(order.length));
    }

    /**
     * New channel {@code j} copies old channel {@code source[j]}; consumers divide each copy's rows by
     * the number of copies of its channel. Old channels that appear nowhere are dropped.
     */
    public static IndexMap repeat(int size, int[] source) {
        int[] copies = new int[size];
        for (int s : source) {
            if (s >= 0 && s < size) {
                copies[s]++;
            }
        }
        double[] scale = new double[source.length];
        for (int j = 0; j < source.length; j++) {
            scale[j] = source[j] >= 0 && source[j] < size ? 1.0 / copies[source[j]] : 1;
        }
        return new IndexMap(size, source, scale);
    }

    /** Every channel of {@code size}, then copies of {@code extra}: the widening step of Net2WiderNet. */
    public static IndexMap widen(int size, int[] extra) {
        int[] source = new int[size + extra.length];
        for (int i = 0; i < size; i++) {
            source[i] = i;
        }
        System.arraycopy(extra, 0, source, size, extra.length);
        return repeat(size, source);
    }

    /**
     * Every channel of {@code size}, then new ones that start from the producers' weights of
     * {@code extra} but that every consumer reads with weight 0, so the old channels keep their rows
     * whole and the function is the same whatever the new channels' producer weights become (the
     * widening step for new units with weights of their own: the caller redraws them).
     */
    public static IndexMap extend(int size, int[] extra) {
        int[] source = new int[size + extra.length];
        double[] scale = new double[source.length];
        for (int i = 0; i < size; i++) {
            source[i] = i;
            scale[i] = 1;
        }
        System.arraycopy(extra, 0, source, size, extra.length);
        return new IndexMap(size, source, scale);
    }

    public int newSize() {
        return source.length;
    }

    /** True when some consumer rows are scaled (a channel is copied, or added silent). */
    public boolean rescales() {
        return Arrays.stream(consumerScale).anyMatch(s -> s != 1);
    }

    private static double[] ones(int n) {
        double[] d = new double[n];
        Arrays.fill(d, 1);
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexMap m && m.oldSize == oldSize && Arrays.equals(m.source, source)
                && Arrays.equals(m.consumerScale, consumerScale);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * oldSize + Arrays.hashCode(source)) + Arrays.hashCode(consumerScale);
    }

    @Override
    public String toString() {
        return "IndexMap[" + oldSize + " -> " + Arrays.toString(source) + "]";
    }
}
