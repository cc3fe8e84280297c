package io.jpmem.persist;

import java.util.Arrays;

/**
 * A growable list of byte ranges of a mapping, normalized on demand into sorted, disjoint,
 * non-adjacent ranges: what a commit changed, exactly (not widened to cache lines or pages, so that
 * two transactions storing into different fields of one line never capture each other's bytes).
 *
 * <p>Adding is amortized constant time (a range touching the last one added extends it, the common
 * case of stores walking forward); {@link #normalize()} sorts and merges once. Not thread-safe.
 */
public final class Ranges {

    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private int count;
    private boolean normalized = true;

    /** An empty list. */
    public Ranges() {}

    /** Adds {@code [offset, offset + byteSize)}; nothing if {@code byteSize} is 0. */
    public void add(long offset, long byteSize) {
        if (byteSize <= 0) {
            return;
        }
        long end = offset + byteSize;
        if (count > 0) {
            int last = count - 1;
            if (offset <= ends[last] && end >= starts[last]) {
                starts[last] = Math.min(starts[last], offset);
                ends[last] = Math.max(ends[last], end);
                return;
            }
            if (offset < ends[last]) {
                normalized = false;
            }
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = offset;
        ends[count] = end;
        count++;
    }

    /** Adds every range of {@code other}. */
    public void addAll(Ranges other) {
        for (int i = 0; i < other.count; i++) {
            add(other.starts[i], other.ends[i] - other.starts[i]);
        }
    }

    /** Sorts and merges overlapping or adjacent ranges; returns this. */
    public Ranges normalize() {
        if (normalized || count < 2) {
            normalized = true;
            return this;
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
        long[] s = new long[count];
        long[] e = new long[count];
        int n = 0;
        for (int k = 0; k < count; k++) {
            int i = order[k];
            if (n > 0 && starts[i] <= e[n - 1]) {
                e[n - 1] = Math.max(e[n - 1], ends[i]);
            } else {
                s[n] = starts[i];
                e[n] = ends[i];
                n++;
            }
        }
        starts = s;
        ends = e;
        count = n;
        normalized = true;
        return this;
    }

    /** {@return the number of ranges} */
    public int size() {
        return count;
    }

    /** {@return whether there is no range} */
    public boolean isEmpty() {
        return count == 0;
    }

    /** {@return the start of range {@code i}} */
    public long start(int i) {
        return starts[i];
    }

    /** {@return the byte size of range {@code i}} */
    public long byteSize(int i) {
        return ends[i] - starts[i];
    }

    /** {@return the sum of the ranges' sizes (after {@link #normalize()}, the bytes covered)} */
    public long totalBytes() {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += ends[i] - starts[i];
        }
        return total;
    }

    /** Removes every range. */
    public void clear() {
        count = 0;
        normalized = true;
        if (starts.length > 1024) {
            starts = new long[16];
            ends = new long[16];
        }
    }
}
