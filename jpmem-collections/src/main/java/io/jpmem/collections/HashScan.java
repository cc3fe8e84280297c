package io.jpmem.collections;

import static io.jpmem.collections.HashLayout.MASK;
import static io.jpmem.collections.HashLayout.NEW_MASK;
import static io.jpmem.collections.HashLayout.NEW_TABLE;
import static io.jpmem.collections.HashLayout.NEXT;
import static io.jpmem.collections.HashLayout.TABLE;

import io.jpmem.heap.PersistentHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * The stateless bucket cursor of {@link PHashMap#scan} and {@link PHashSet#scan}: Redis's dictScan
 * over a {@link HashCore}, which has the same shape as Redis's dict (power-of-two tables, a bucket
 * is {@code spread(hash) & mask}, an incremental rehash from {@code table} to {@code newTable}).
 *
 * <p><b>The cursor</b> is a bucket index incremented in reverse-bit order (the design documented
 * for Redis's SCAN): its highest bit changes first, so the buckets visited so far are those whose
 * index, read backwards, is below the cursor's. That set survives resizes: when the table doubles,
 * bucket {@code b} splits into {@code b} and {@code b | (mask + 1)}, both visited or both still
 * ahead; when it halves, buckets merge into ones the cursor (masked) at worst revisits. So every
 * entry present from the first step of a full iteration to its last is returned at least once,
 * whatever resizes happen in between; an entry may be returned more than once.
 *
 * <p><b>During a rehash</b> a step visits bucket {@code cursor & small} of the smaller table and
 * the buckets of the larger table that expand from it (each combination of the bits between the
 * two masks, taken in reverse-bit order from the cursor's own), and the carry of that increment
 * moves the cursor on over the smaller mask, as Redis 7's dictScan does (a forward increment of
 * the expansion bits, as older Redis had, skips buckets when a rehash starts mid-iteration). The
 * old table's buckets below {@code rehashIndex} are empty (their entries moved), and its freed
 * segments read as empty buckets.
 *
 * <p>Reads only: no transaction, nothing written.
 */
final class HashScan {

    private HashScan() {}

    /**
     * Visits the entries of the bucket(s) {@code cursor} names, passing each entry's block to
     * {@code entries} (the sink must not change the map), and returns the next cursor, 0 when the
     * iteration is complete.
     */
    static long step(HashCore core, long cursor, LongConsumer entries) {
        PersistentHeap heap = core.heap();
        long header = core.header();
        long table = heap.getRef(header + TABLE);
        if (table == 0) {
            return 0;
        }
        long mask = heap.getLong(header + MASK);
        long newTable = heap.getRef(header + NEW_TABLE);
        if (newTable == 0) {
            bucket(core, table, cursor & mask, entries);
            return reverseIncrement(cursor, mask);
        }
        long newMask = heap.getLong(header + NEW_MASK);
        long smallTable = mask <= newMask ? table : newTable;
        long largeTable = mask <= newMask ? newTable : table;
        long small = Math.min(mask, newMask);
        long large = Math.max(mask, newMask);
        long v = cursor;
        bucket(core, smallTable, v & small, entries);
        do { // the larger table's buckets that the smaller one's expands to, from the cursor's on
            bucket(core, largeTable, v & large, entries);
            v = reverseIncrement(v, large); // the bits above the smaller mask first; their carry increments the rest
        } while ((v & (small ^ large)) != 0);
        return v;
    }

    /** {@return {@code cursor} incremented in reverse-bit order over the bits of {@code mask}, 0 after the last} */
    private static long reverseIncrement(long cursor, long mask) {
        return Long.reverse(Long.reverse(cursor | ~mask) + 1);
    }

    /**
     * One step for the public {@code scan} methods: loads the visited entries' keys (and values, if
     * {@code values}; else null) as Java objects first, then passes them to {@code action}, so the
     * action may even change the map.
     */
    static long scan(HashCore core, long cursor, boolean values, BiConsumer<Object, Object> action) {
        List<Object> loaded = new ArrayList<>();
        long next = step(core, cursor, entry -> {
            loaded.add(core.loadKey(entry));
            loaded.add(values ? core.loadValue(entry) : null);
        });
        for (int i = 0; i < loaded.size(); i += 2) {
            action.accept(loaded.get(i), loaded.get(i + 1));
        }
        return next;
    }

    private static void bucket(HashCore core, long directory, long index, LongConsumer entries) {
        long slot = core.bucketAt(directory, index);
        if (slot == 0) {
            return; // no segment: an empty bucket
        }
        PersistentHeap heap = core.heap();
        for (long entry = heap.getRef(slot); entry != 0; entry = heap.getRef(entry + NEXT)) {
            entries.accept(entry);
        }
    }
}
