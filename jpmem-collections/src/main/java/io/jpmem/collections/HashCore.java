package io.jpmem.collections;

import static io.jpmem.collections.HashLayout.*;

import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.objects.ObjectSpace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The hash table engine behind {@link PHashMap} and {@link PHashSet}: chained buckets in a
 * power-of-two table of references, with Redis-style incremental rehash (see {@link HashLayout}).
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Lookups</b> read the header, pick the bucket from the key's stored hash, and walk the
 *       chain on raw offsets, comparing the hash word first ({@link KeyProbe}); no handle is made.
 *   <li><b>Incremental rehash</b> (Redis's dict): when an insert makes the size exceed the table's
 *       length, a table twice as long is allocated as {@code newTable}; when a remove leaves the
 *       table less than 1/8 full, a smaller one. From then on every structural change (an insert,
 *       or a remove of a present key) first moves at most {@link #MOVE_BUCKETS} non-empty buckets
 *       (visiting at most 10 empty ones each) from {@code table} to {@code newTable}, in the same
 *       transaction, and inserts go to
 *       {@code newTable}; lookups look in {@code table} for buckets at or above
 *       {@code rehashIndex} and then in {@code newTable}. When the last bucket has moved,
 *       {@code newTable} becomes {@code table} and the old table is freed. No operation does work
 *       proportional to the map's size: tables are directories of 512-bucket segments, allocated when
 *       their first entry arrives and freed as the rehash passes them ({@link HashLayout}), so
 *       starting a rehash allocates only a directory of 8 bytes per 512 buckets.
 *   <li><b>Atomicity</b>: every mutation runs in the thread's transaction on the heap, or in one of
 *       its own; all its stores are undo-logged (the new entry and new tables are not: they are new
 *       blocks), its allocations and frees are published at commit. A rollback restores everything.
 *   <li><b>Freed blocks</b>: an entry, its key copy and value copy when it is removed; the old value
 *       copy when a value is replaced; the old table when a rehash ends; everything on clear.
 *   <li><b>Reopen</b> is O(1): the header and tables are the map; nothing is rebuilt.
 * </ul>
 * Not thread-safe, like {@code java.util.HashMap}: callers synchronize (e.g. {@code tx.lock}).
 */
final class HashCore {

    /** Non-empty buckets a mutating operation moves while a rehash is in progress. */
    static final int MOVE_BUCKETS = 2;
    /** Empty buckets skipped per bucket to move, at most (Redis's empty_visits). */
    static final int EMPTY_VISITS = 10;

    /** Returned by {@link #put} and {@link #remove} when the key was absent. */
    static final Object ABSENT = new Object();
    /** Returned by {@link #remove} when the key was present and its value was not asked for. */
    static final Object PRESENT = new Object();

    private final PersistentHeap heap;
    private final ObjectSpace space;
    private final long header;
    private final String owner;
    private HeapType entryType;
    private HeapType tableType;
    private int stringTypeId;
    private int typesSeen = -1;
    /** Structural modifications in this process, for fail-fast iterators. */
    int modCount;

    HashCore(ObjectSpace space, long header, String owner) {
        this.heap = space.heap();
        this.space = space;
        this.header = header;
        this.owner = owner;
    }

    PersistentHeap heap() {
        return heap;
    }

    ObjectSpace space() {
        return space;
    }

    long header() {
        return header;
    }

    String owner() {
        return owner;
    }

    // ------------------------------------------------------------------ reads

    long size() {
        return heap.getLong(header + SIZE);
    }

    static long spread(int hash) {
        return Integer.toUnsignedLong(hash ^ (hash >>> 16));
    }

    /** {@return the address of the reference that points at the entry holding the key, or 0} */
    long findSlot(KeyProbe probe) {
        long table = heap.getRef(header + TABLE);
        if (table == 0) {
            return 0;
        }
        long spread = spread(probe.hash);
        long newTable = heap.getRef(header + NEW_TABLE);
        long index = spread & heap.getLong(header + MASK);
        if (newTable == 0) {
            return scan(bucketAt(table, index), probe);
        }
        if (index >= heap.getLong(header + REHASH_INDEX)) {
            long slot = scan(bucketAt(table, index), probe);
            if (slot != 0) {
                return slot;
            }
        }
        return scan(bucketAt(newTable, spread & heap.getLong(header + NEW_MASK)), probe);
    }

    /**
     * {@return the address of the head of bucket {@code index} of the table whose directory is
     * {@code directory}, or 0 if the bucket's segment does not exist (the bucket is empty)}
     */
    long bucketAt(long directory, long index) {
        long segment = heap.getRef(directory + 8 * (index >>> SEGMENT_SHIFT));
        return segment == 0 ? 0 : segment + 8 * (index & (SEGMENT_BUCKETS - 1));
    }

    /** Like {@link #bucketAt}, allocating the bucket's segment in {@code tx} if it does not exist yet. */
    private long bucketForWrite(Transaction tx, long directory, long mask, long index) {
        long segmentSlot = directory + 8 * (index >>> SEGMENT_SHIFT);
        long segment = heap.getRef(segmentSlot);
        if (segment == 0) {
            segment = tx.allocateArray(tableType(), segmentBuckets(mask));
            tx.putRef(segmentSlot, segment);
        }
        return segment + 8 * (index & (SEGMENT_BUCKETS - 1));
    }

    /** {@return the buckets per segment of a table of {@code mask + 1} buckets} */
    static long segmentBuckets(long mask) {
        return Math.min(mask + 1, SEGMENT_BUCKETS);
    }

    /** Allocates the directory of a table of {@code capacity} buckets; its segments come with their first entry. */
    private long allocateDirectory(Transaction tx, long capacity) {
        return tx.allocateArray(tableType(), Math.max(1, capacity >>> SEGMENT_SHIFT));
    }

    private long scan(long slot, KeyProbe probe) {
        if (slot == 0) {
            return 0;
        }
        for (long entry = heap.getRef(slot); entry != 0; entry = heap.getRef(slot)) {
            if (probe.matches(heap, space, entry)) {
                return slot;
            }
            slot = entry + NEXT;
        }
        return 0;
    }

    /** {@return the entry holding the key, or 0} */
    long findEntry(KeyProbe probe) {
        long slot = findSlot(probe);
        return slot == 0 ? 0 : heap.getRef(slot);
    }

    Object loadValue(long entry) {
        return loadReference(heap.getRef(entry + VALUE));
    }

    /**
     * {@return what a slot holding {@code ref} reads as, like {@code ObjectSpace.load}} A String copy
     * is decoded straight from its block (its type id and length from the block header), without
     * the allocator's validation and type lookup {@code load} does for any reference.
     */
    Object loadReference(long ref) {
        if (ref == 0) {
            return null;
        }
        if (heap.getInt(ref + BLOCK_TYPE_ID) == stringTypeId()) {
            byte[] utf8 = new byte[heap.getInt(ref + BLOCK_PAYLOAD_BYTES)];
            heap.getBytes(ref, utf8, 0, utf8.length);
            return new String(utf8, StandardCharsets.UTF_8);
        }
        return space.load(ref);
    }

    private int stringTypeId() {
        int id = stringTypeId;
        if (id <= 0 && heap.types().all().size() != typesSeen) { // look again only when a type was added
            typesSeen = heap.types().all().size();
            id = stringTypeId = heap.types().find(STRING_COPY_TYPE).map(HeapType::id).orElse(0);
        }
        return id;
    }

    Object loadKey(long entry) {
        return KeyProbe.loadKey(heap, space, entry);
    }

    // ------------------------------------------------------------------ mutations (caller supplies tx)

    /**
     * Maps the key to {@code value} in {@code tx}. Only an insert moves buckets of a rehash in
     * progress (as only inserts and removes are structural changes): overwriting values while
     * iterating is allowed, as in {@code java.util.HashMap}.
     *
     * @param returnOld whether to read the previous value (a new Java value for a copy)
     * @param onlyIfAbsent leave an existing mapping to a non-null value alone
     * @return {@link #ABSENT} if the key was new, else the previous value (null if not asked for)
     */
    Object put(Transaction tx, KeyProbe probe, Object value, boolean returnOld, boolean onlyIfAbsent) {
        long slot = findSlot(probe);
        if (slot == 0) {
            rehashStep(tx);
            insert(tx, probe, value);
            return ABSENT;
        }
        long entry = heap.getRef(slot);
        long old = heap.getRef(entry + VALUE);
        Object previous = returnOld ? loadReference(old) : null;
        if (!onlyIfAbsent || old == 0) { // Map.putIfAbsent replaces a null value
            long fresh = space.store(tx, value, owner + " value");
            if (fresh != old) {
                tx.putRef(entry + VALUE, fresh);
                space.release(tx, old);
            }
        }
        return previous;
    }

    /** Replaces the value of an existing entry (Map.Entry.setValue); returns the previous value. */
    Object replaceValue(Transaction tx, long entry, Object value) {
        long old = heap.getRef(entry + VALUE);
        Object previous = loadReference(old);
        long fresh = space.store(tx, value, owner + " value");
        if (fresh != old) {
            tx.putRef(entry + VALUE, fresh);
            space.release(tx, old);
        }
        return previous;
    }

    private void insert(Transaction tx, KeyProbe probe, Object value) {
        long entry = tx.allocate(entryType());
        probe.writeInto(tx, space, entry);
        long valueRef = space.store(tx, value, owner + " value");
        if (valueRef != 0) {
            tx.putRef(entry + VALUE, valueRef);
        }
        long table = heap.getRef(header + TABLE);
        if (table == 0) {
            table = allocateDirectory(tx, MIN_CAPACITY);
            tx.snapshot(header, HEADER_BYTES);
            tx.putRef(header + TABLE, table);
            tx.putLong(header + MASK, MIN_CAPACITY - 1);
        }
        long spread = spread(probe.hash);
        long newTable = heap.getRef(header + NEW_TABLE);
        long bucket;
        if (newTable != 0) {
            long newMask = heap.getLong(header + NEW_MASK);
            bucket = bucketForWrite(tx, newTable, newMask, spread & newMask);
        } else {
            long mask = heap.getLong(header + MASK);
            bucket = bucketForWrite(tx, table, mask, spread & mask);
        }
        tx.putRef(entry + NEXT, heap.getRef(bucket));
        tx.putRef(bucket, entry);
        long size = size() + 1;
        tx.putLong(header + SIZE, size);
        modCount++;
        long capacity = heap.getLong(header + MASK) + 1;
        if (newTable == 0 && size > capacity) {
            startRehash(tx, capacity * 2);
        }
    }

    /**
     * Removes the key's mapping in {@code tx}.
     *
     * @return {@link #ABSENT}, or the previous value if {@code returnOld}, else {@link #PRESENT}
     */
    Object remove(Transaction tx, KeyProbe probe, boolean returnOld) {
        if (findSlot(probe) == 0) {
            return ABSENT;
        }
        rehashStep(tx);
        long slot = findSlot(probe); // the step may have moved the entry
        long entry = heap.getRef(slot);
        Object previous = returnOld ? loadValue(entry) : PRESENT;
        unlink(tx, slot, entry);
        maybeShrink(tx);
        return previous;
    }

    /** Removes one entry found by an iterator; moves no bucket (an iterator's order must not change). */
    void removeEntry(Transaction tx, long entry) {
        long slot = slotOf(entry);
        if (slot == 0) {
            throw new IllegalStateException(owner + ": the entry is no longer in the map");
        }
        unlink(tx, slot, entry);
    }

    private long slotOf(long entry) {
        long spread = spread((int) heap.getLong(entry + HASH_WORD));
        long table = heap.getRef(header + TABLE);
        long newTable = heap.getRef(header + NEW_TABLE);
        long index = spread & heap.getLong(header + MASK);
        if (table != 0 && (newTable == 0 || index >= heap.getLong(header + REHASH_INDEX))) {
            long slot = chainSlot(bucketAt(table, index), entry);
            if (slot != 0 || newTable == 0) {
                return slot;
            }
        }
        return newTable == 0 ? 0 : chainSlot(bucketAt(newTable, spread & heap.getLong(header + NEW_MASK)), entry);
    }

    private long chainSlot(long slot, long entry) {
        if (slot == 0) {
            return 0;
        }
        for (long at = heap.getRef(slot); at != 0; at = heap.getRef(slot)) {
            if (at == entry) {
                return slot;
            }
            slot = at + NEXT;
        }
        return 0;
    }

    private void unlink(Transaction tx, long slot, long entry) {
        tx.putRef(slot, heap.getRef(entry + NEXT));
        freeEntry(tx, entry);
        tx.putLong(header + SIZE, size() - 1);
        modCount++;
    }

    private void freeEntry(Transaction tx, long entry) {
        KeyProbe.releaseKey(tx, heap, entry);
        space.release(tx, heap.getRef(entry + VALUE));
        tx.free(entry);
    }

    /** Frees every entry and both tables in {@code tx}: the map is empty and holds no table. */
    void clear(Transaction tx) {
        for (long directory : new long[] {heap.getRef(header + TABLE), heap.getRef(header + NEW_TABLE)}) {
            if (directory == 0) {
                continue;
            }
            long segments = heap.blockByteSize(directory) / 8;
            for (long s = 0; s < segments; s++) {
                long segment = heap.getRef(directory + 8 * s);
                if (segment == 0) {
                    continue;
                }
                long length = heap.blockByteSize(segment) / 8;
                for (long i = 0; i < length; i++) {
                    for (long entry = heap.getRef(segment + 8 * i); entry != 0; ) {
                        long next = heap.getRef(entry + NEXT);
                        freeEntry(tx, entry);
                        entry = next;
                    }
                }
                tx.free(segment);
            }
            tx.free(directory);
        }
        tx.snapshot(header, HEADER_BYTES);
        for (int field = 0; field < HEADER_BYTES; field += 8) {
            tx.putLong(header + field, 0);
        }
        modCount++;
    }

    // ------------------------------------------------------------------ incremental rehash

    /** {@return whether a rehash is in progress} */
    boolean rehashing() {
        return heap.getRef(header + NEW_TABLE) != 0;
    }

    private void startRehash(Transaction tx, long capacity) {
        long newTable = tx.tryAllocateArray(tableType(), Math.max(1, capacity >>> SEGMENT_SHIFT));
        if (newTable == 0) {
            return; // growing is an optimisation: the map stays correct with longer chains
        }
        tx.snapshot(header, HEADER_BYTES);
        tx.putRef(header + NEW_TABLE, newTable);
        tx.putLong(header + NEW_MASK, capacity - 1);
        tx.putLong(header + REHASH_INDEX, 0);
    }

    private void maybeShrink(Transaction tx) {
        long capacity = heap.getLong(header + MASK) + 1;
        long size = size();
        if (rehashing() || capacity <= MIN_CAPACITY || size * 8 >= capacity) {
            return;
        }
        long target = Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1, size * 2 - 1)) << 1);
        if (target < capacity) {
            startRehash(tx, target);
        }
    }

    /** Moves up to {@link #MOVE_BUCKETS} non-empty buckets of the old table; ends the rehash after its last bucket. */
    void rehashStep(Transaction tx) {
        long newTable = heap.getRef(header + NEW_TABLE);
        if (newTable == 0) {
            return;
        }
        long table = heap.getRef(header + TABLE);
        long mask = heap.getLong(header + MASK);
        long newMask = heap.getLong(header + NEW_MASK);
        long index = heap.getLong(header + REHASH_INDEX);
        int buckets = MOVE_BUCKETS;
        int emptyVisits = MOVE_BUCKETS * EMPTY_VISITS;
        long segmentBuckets = segmentBuckets(mask);
        while (buckets > 0 && emptyVisits > 0 && index <= mask) {
            long slot = bucketAt(table, index);
            if (slot == 0) { // a segment that never held an entry: skip it whole
                index = (index | (segmentBuckets - 1)) + 1;
                emptyVisits--;
                continue;
            }
            long entry = heap.getRef(slot);
            if (entry == 0) {
                emptyVisits--;
            } else {
                for (long e = entry; e != 0; e = heap.getRef(e + NEXT)) { // allocations before the moves' stores
                    bucketForWrite(tx, newTable, newMask, spread((int) heap.getLong(e + HASH_WORD)) & newMask);
                }
                while (entry != 0) {
                    long next = heap.getRef(entry + NEXT);
                    long target = bucketAt(newTable, spread((int) heap.getLong(entry + HASH_WORD)) & newMask);
                    tx.putRef(entry + NEXT, heap.getRef(target));
                    tx.putRef(target, entry);
                    entry = next;
                }
                tx.putRef(slot, 0);
                buckets--;
            }
            if ((index & (segmentBuckets - 1)) == segmentBuckets - 1) { // the segment's last bucket has moved: free it
                long segmentSlot = table + 8 * (index >>> SEGMENT_SHIFT);
                tx.free(heap.getRef(segmentSlot));
                tx.putRef(segmentSlot, 0);
            }
            index++;
        }
        modCount++; // entries moved: iterators in progress must not go on
        if (index > mask) {
            tx.free(table);
            tx.snapshot(header, HEADER_BYTES);
            tx.putRef(header + TABLE, newTable);
            tx.putLong(header + MASK, newMask);
            tx.putRef(header + NEW_TABLE, 0);
            tx.putLong(header + NEW_MASK, 0);
            tx.putLong(header + REHASH_INDEX, 0);
        } else {
            tx.putLong(header + REHASH_INDEX, index);
        }
    }

    // ------------------------------------------------------------------ types and checks

    private HeapType entryType() {
        HeapType type = entryType;
        if (type == null) {
            type = entryType = heap.types().register(ENTRY);
        }
        return type;
    }

    private HeapType tableType() {
        HeapType type = tableType;
        if (type == null) {
            type = tableType = heap.types().register(TABLE_TYPE);
        }
        return type;
    }

    /**
     * {@return the violated invariants, empty if none} Every entry is in the bucket its hash selects
     * (in the old table at or above rehashIndex, or in the new table), buckets below rehashIndex are
     * empty and their segments freed, the entry count equals size, and the masks match the
     * directories' and segments' lengths. O(size): for tests.
     */
    List<String> invariantProblems() {
        List<String> problems = new ArrayList<>();
        long table = heap.getRef(header + TABLE);
        long newTable = heap.getRef(header + NEW_TABLE);
        long index = heap.getLong(header + REHASH_INDEX);
        long count = 0;
        if (table == 0) {
            if (newTable != 0 || size() != 0) {
                problems.add("no table but newTable " + newTable + " and size " + size());
            }
            return problems;
        }
        long[] tables = {table, newTable};
        long[] masks = {heap.getLong(header + MASK), heap.getLong(header + NEW_MASK)};
        for (int t = 0; t < 2; t++) {
            if (tables[t] == 0) {
                continue;
            }
            long segments = Math.max(1, (masks[t] + 1) >>> SEGMENT_SHIFT);
            if (heap.blockByteSize(tables[t]) / 8 != segments) {
                problems.add("table " + t + " has " + heap.blockByteSize(tables[t]) / 8 + " segments, mask " + masks[t]);
                continue;
            }
            long perSegment = segmentBuckets(masks[t]);
            for (long s = 0; s < segments; s++) {
                long segment = heap.getRef(tables[t] + 8 * s);
                if (segment == 0) {
                    continue;
                }
                if (heap.blockByteSize(segment) / 8 != perSegment) {
                    problems.add("segment " + s + " of table " + t + " has " + heap.blockByteSize(segment) / 8 + " buckets");
                }
                if (t == 0 && newTable != 0 && (s + 1) * perSegment <= index) {
                    problems.add("segment " + s + " of the old table is wholly below rehashIndex " + index + " but not freed");
                }
            }
            for (long i = 0; i <= masks[t]; i++) {
                long slot = bucketAt(tables[t], i);
                for (long e = slot == 0 ? 0 : heap.getRef(slot); e != 0; e = heap.getRef(e + NEXT)) {
                    count++;
                    long bucket = spread((int) heap.getLong(e + HASH_WORD)) & masks[t];
                    if (bucket != i) {
                        problems.add("entry " + e + " in bucket " + i + " of table " + t + ", its hash selects " + bucket);
                    }
                    if (t == 0 && newTable != 0 && i < index) {
                        problems.add("entry " + e + " in bucket " + i + " below rehashIndex " + index);
                    }
                }
            }
        }
        if (count != size()) {
            problems.add("size " + size() + " but " + count + " entries");
        }
        return problems;
    }
}
