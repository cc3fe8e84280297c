package io.jpmem.collections;

import static io.jpmem.collections.HashLayout.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.spi.HeapSpi;
import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;

/**
 * Walks the entries of a {@link HashCore} on raw offsets: every bucket of the table, then every
 * bucket of the new table while a rehash is in progress (the old table's buckets below
 * rehashIndex are empty, so no entry is seen twice). Fail-fast like {@code java.util.HashMap}'s
 * iterators: a structural change not made through this cursor throws
 * {@link ConcurrentModificationException} at the next step. Removing through the cursor moves no
 * bucket, so the walk stays exact.
 */
final class HashCursor {

    private final HashCore core;
    private final PersistentHeap heap;
    private final long[] tables = new long[2];
    private final long[] masks = new long[2];
    private int table;
    private long bucket = -1;
    private long next;
    private long lastReturned;
    private int expectedModCount;

    HashCursor(HashCore core) {
        this.core = core;
        this.heap = core.heap();
        long header = core.header();
        tables[0] = heap.getRef(header + TABLE);
        tables[1] = heap.getRef(header + NEW_TABLE);
        masks[0] = heap.getLong(header + MASK);
        masks[1] = heap.getLong(header + NEW_MASK);
        expectedModCount = core.modCount;
        advanceBucket();
    }

    private void advanceBucket() {
        while (table < 2) {
            if (tables[table] != 0) {
                long segmentBuckets = HashCore.segmentBuckets(masks[table]);
                while (++bucket <= masks[table]) {
                    long slot = core.bucketAt(tables[table], bucket);
                    if (slot == 0) {
                        bucket |= segmentBuckets - 1; // no segment: skip to the next one
                        continue;
                    }
                    long entry = heap.getRef(slot);
                    if (entry != 0) {
                        next = entry;
                        return;
                    }
                }
            }
            table++;
            bucket = -1;
        }
        next = 0;
    }

    boolean hasNext() {
        return next != 0;
    }

    /** {@return the next entry's block} */
    long nextEntry() {
        if (core.modCount != expectedModCount) {
            throw new ConcurrentModificationException(core.owner() + " changed during iteration");
        }
        if (next == 0) {
            throw new NoSuchElementException();
        }
        lastReturned = next;
        next = heap.getRef(next + NEXT);
        if (next == 0) {
            advanceBucket();
        }
        return lastReturned;
    }

    /** Removes the entry last returned, atomically (in the thread's transaction or one of its own). */
    void remove() {
        if (lastReturned == 0) {
            throw new IllegalStateException("next() has not returned an entry since the last remove");
        }
        if (core.modCount != expectedModCount) {
            throw new ConcurrentModificationException(core.owner() + " changed during iteration");
        }
        long entry = lastReturned;
        HeapSpi.inTransactionGet(core.heap(), tx -> {
            core.removeEntry(tx, entry);
            return null;
        });
        lastReturned = 0;
        expectedModCount = core.modCount;
    }
}
