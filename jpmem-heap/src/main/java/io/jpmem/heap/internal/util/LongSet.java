package io.jpmem.heap.internal.util;

import java.util.Arrays;
import java.util.function.LongConsumer;

/** A set of longs by open addressing (no boxing), for a transaction's logged ranges and dirty lines. */
public final class LongSet {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] table = new long[16];
    private int size;
    private boolean hasEmptyKey;

    public LongSet() {
        Arrays.fill(table, EMPTY);
    }

    /** {@return whether the value was added (false if present)} */
    public boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !hasEmptyKey;
            hasEmptyKey = true;
            return added;
        }
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        int mask = table.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            long slot = table[i];
            if (slot == value) {
                return false;
            }
            if (slot == EMPTY) {
                table[i] = value;
                size++;
                return true;
            }
        }
    }

    public boolean contains(long value) {
        if (value == EMPTY) {
            return hasEmptyKey;
        }
        int mask = table.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            long slot = table[i];
            if (slot == value) {
                return true;
            }
            if (slot == EMPTY) {
                return false;
            }
        }
    }

    public int size() {
        return size + (hasEmptyKey ? 1 : 0);
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public void forEach(LongConsumer action) {
        for (long value : table) {
            if (value != EMPTY) {
                action.accept(value);
            }
        }
        if (hasEmptyKey) {
            action.accept(EMPTY);
        }
    }

    /** Empties the set, keeping a small table. */
    public void clear() {
        if (table.length > 1024) {
            table = new long[16];
        }
        Arrays.fill(table, EMPTY);
        size = 0;
        hasEmptyKey = false;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        Arrays.fill(table, EMPTY);
        size = 0;
        for (long value : old) {
            if (value != EMPTY) {
                add(value);
            }
        }
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
