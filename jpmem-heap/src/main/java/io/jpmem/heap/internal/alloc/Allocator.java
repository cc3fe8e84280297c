package io.jpmem.heap.internal.alloc;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.internal.log.LogSpace;
import io.jpmem.persist.PersistenceDomain;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * The persistent allocator: size-class slabs in chunks, large blocks as runs of chunks.
 *
 * <h2>Reserve, then publish (PMDK's model)</h2>
 * Allocation happens in two steps. {@link #reserve} marks a slot (or a run of chunks) taken in
 * <em>volatile</em> state only, so no other thread can get it, and writes nothing persistent but
 * the new block's header. The transaction that reserved it publishes it at commit: it logs a redo
 * entry ({@code LOG_SET_BITS} for a slot, {@code LOG_PUT_LONG} for chunk words) before its commit
 * point ({@link #publishRedo}), and applies it with {@link #apply} after. A free is the
 * same in reverse, and the block becomes reusable ({@link #release}) only once the free is durable.
 * A crash before the commit point leaves the persistent bitmaps untouched: nothing leaks. Allocator
 * words shared between threads are never undo-logged: a rollback only drops volatile reservations,
 * so it can never clear another transaction's committed bit.
 *
 * <h2>What is not transactional</h2>
 * Turning a free chunk into an (empty) slab, or into a log extension, is published at once: an
 * empty slab or an unused log chunk is a valid state after any crash. So is the way back: a log
 * extension the slot no longer links ({@link #returnLogChunks}) is made free at once, and so is a
 * slab whose last block was freed ({@link #returnIfEmpty}): its chunk can then become a slab of
 * another size class, a large block or a log extension.
 *
 * <h2>Empty slabs go back</h2>
 * A slab's volatile bitmap holds every persistent bit plus the reservations, and a freed slot's bit
 * is dropped from it only after the free's redo is applied and the transaction's epoch has moved
 * on. So a slab that is empty in volatile state is empty persistently, and no valid log entry
 * targets its bitmap any more: one durable store of its chunk word (slab to free) returns it, and a
 * crash on either side of that store leaves a valid heap. Each class keeps its current chunk when
 * it empties (a class that allocates and frees one block would otherwise make and return a slab
 * each time); when a chunk is needed and none is free, {@link #returnEmptySlabs} returns those too.
 *
 * <h2>The log reserve</h2>
 * Freeing needs log space: a transaction's commit record holds a redo entry per bitmap word (and per
 * chunk of a large block) it frees. So that a full heap can always be emptied, the last
 * {@link #logReserveChunks} free chunk(s) are kept for commit records: slabs, large blocks and
 * extensions for undo entries never take them ({@link #takeLogChunk} with {@code commitRecord}
 * may). A commit record that finds no chunk at all while other commit records hold extensions
 * waits for one of them to come back: a commit waits for nothing else, so the wait ends.
 *
 * <h2>Lazy state</h2>
 * Opening reads the chunk table only. A slab's bitmap is read the first time that chunk is needed.
 *
 * <h2>Thread-local caches</h2>
 * Each thread keeps, per size class, a magazine of up to {@value #MAGAZINE_SLOTS} slots it
 * reserved in one go under the class lock, and hands them out without locking. They are volatile
 * reservations: a thread that stops leaves its magazine unused until the heap is reopened.
 *
 * <p>Thread-safe. Lock order: a class pool's monitor, then the chunk table's lock; a chunk's bitmap
 * words are read-modify-written under the chunk's own monitor.
 */
public final class Allocator implements LogSpace {

    /** Volatile state of one chunk. */
    private static final class Chunk {
        final int index;
        /**
         * CHUNK_* kind, RESERVED while a large block's run is reserved but not published, or
         * RETURNING while an empty slab is made free.
         */
        int kind;
        int sizeClass;
        /** For a slab: persistent bits plus volatile reservations; null until first loaded. */
        long[] occupied;
        int free;
        int hint;

        Chunk(int index) {
            this.index = index;
        }
    }

    private static final int RESERVED = -1;
    private static final int RETURNING = -2;

    private final PersistenceDomain domain;
    private final MemorySegment view;
    private final HeapLayout layout;
    private final long chunkBytes;
    private final int classCount;
    private final SizeClasses.Slab[] slabs;
    private final Chunk[] chunks;
    private final ArrayDeque<Chunk>[] candidates;
    private final Chunk[] current;
    private final Object chunkLock = new Object();
    private final Object[] poolLocks;
    private int freeChunkHint;
    /** Chunks of kind free in the volatile state (under the chunk lock). */
    private int freeChunks;
    /** Free chunks only commit records may take (the log reserve). */
    private final int logReserveChunks;
    /** Extensions commit records hold now (under the chunk lock): what a commit that finds no chunk waits for. */
    private int commitRecordChunks;
    /** How long a commit record waits for another commit's extension to come back. */
    private static final long COMMIT_RECORD_WAIT_MILLIS = 5_000;
    private final ChunkReserver reserver;
    /** The last chunk that could not be had failed because the file system is full (for messages). */
    private volatile boolean fileSystemFull;

    public Allocator(PersistenceDomain domain, HeapLayout layout) {
        this(domain, layout, ChunkReserver.NONE);
    }

    /** @param reserver makes the file hold a chunk's blocks before the chunk leaves the free state */
    @SuppressWarnings({"unchecked", "rawtypes"}) // the candidates: an array of a generic type
    public Allocator(PersistenceDomain domain, HeapLayout layout, ChunkReserver reserver) {
        this.reserver = reserver;
        this.domain = domain;
        this.view = domain.view();
        this.layout = layout;
        this.chunkBytes = layout.chunkByteSize();
        this.classCount = SizeClasses.classCount(layout.chunkByteSize());
        this.slabs = new SizeClasses.Slab[classCount];
        this.candidates = new ArrayDeque[classCount];
        this.current = new Chunk[classCount];
        this.poolLocks = new Object[classCount];
        for (int c = 0; c < classCount; c++) {
            slabs[c] = SizeClasses.Slab.of(c, layout.chunkByteSize());
            candidates[c] = new ArrayDeque<>();
            poolLocks[c] = new Object();
        }
        this.chunks = new Chunk[layout.chunkCount()];
        for (int i = 0; i < chunks.length; i++) {
            Chunk chunk = new Chunk(i);
            long word = chunkWordAt(i);
            chunk.kind = chunkKind(word);
            chunk.sizeClass = chunkClass(word);
            chunks[i] = chunk;
            if (chunk.kind == CHUNK_SLAB && chunk.sizeClass < classCount) {
                candidates[chunk.sizeClass].add(chunk);
            }
            if (chunk.kind == CHUNK_FREE) {
                freeChunks++;
            }
        }
        this.logReserveChunks = chunks.length >= MIN_CHUNKS_FOR_LOG_RESERVE ? 1 : 0;
    }

    /**
     * Heaps of fewer chunks keep no log reserve: one chunk would be too large a share of them (each
     * size class in use takes a chunk of its own).
     */
    static final int MIN_CHUNKS_FOR_LOG_RESERVE = 16;

    /** {@return how many free chunks only commit records may take} */
    public int logReserveChunks() {
        return logReserveChunks;
    }

    /**
     * Checks the chunk table: kinds known, classes in range, large runs whole.
     *
     * @return the problems found
     */
    public java.util.List<String> chunkTableProblems() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            long word = chunkWordAt(i);
            int kind = chunkKind(word);
            switch (kind) {
                case CHUNK_FREE, CHUNK_LOG -> { }
                case CHUNK_SLAB -> {
                    if (chunkClass(word) >= classCount) {
                        problems.add("chunk " + i + ": slab of unknown size class " + chunkClass(word));
                    }
                }
                case CHUNK_LARGE -> {
                    long run = chunkHigh(word);
                    if (run < 1 || i + run > chunks.length) {
                        problems.add("chunk " + i + ": large block of " + run + " chunks does not fit");
                        break;
                    }
                    for (int j = i + 1; j < i + run; j++) {
                        long tail = chunkWordAt(j);
                        if (chunkKind(tail) != CHUNK_LARGE_TAIL || chunkHigh(tail) != i) {
                            problems.add("chunk " + j + ": expected a tail of the large block at chunk " + i);
                        }
                    }
                }
                case CHUNK_LARGE_TAIL -> {
                    long head = chunkHigh(word);
                    if (head >= i || chunkKind(chunkWordAt((int) head)) != CHUNK_LARGE
                            || head + chunkHigh(chunkWordAt((int) head)) <= i) {
                        problems.add("chunk " + i + ": tail of a large block that does not cover it (head " + head + ")");
                    }
                }
                default -> problems.add("chunk " + i + ": unknown kind " + kind);
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------ geometry

    public long chunkStart(int index) {
        return layout.objectAreaOffset() + index * chunkBytes;
    }

    private long chunkWordOffset(int index) {
        return layout.chunkTableOffset() + (long) index * CHUNK_ENTRY_BYTES;
    }

    private long chunkWordAt(int index) {
        return view.get(LE_LONG, chunkWordOffset(index));
    }

    private int chunkIndexOf(long offset) {
        return (int) ((offset - layout.objectAreaOffset()) / chunkBytes);
    }

    /** {@return the largest payload a slab slot can hold; larger blocks are runs of chunks} */
    public long largestSlabPayload() {
        return classCount == 0 ? 0 : SizeClasses.SLOT_BYTES[classCount - 1] - BLOCK_HEADER_BYTES;
    }

    // ------------------------------------------------------------------ reserve / release

    /**
     * Reserves a block for {@code payloadBytes} and writes its header (type id and size) through the
     * domain. Nothing else persistent changes until the reservation is published.
     *
     * @param flushLine told of each line written, for the transaction's dirty set
     * @return the block's reference, or 0 if the heap has no room
     */
    public long reserve(int typeId, long payloadBytes, LongConsumer flushLine) {
        if (payloadBytes < 0 || payloadBytes > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("block payload of " + payloadBytes + " bytes is outside [0, 4 GiB)");
        }
        int sizeClass = SizeClasses.classFor(payloadBytes, classCount);
        long ref = sizeClass >= 0 ? reserveSlot(sizeClass) : reserveRun(payloadBytes);
        if (ref != 0) {
            domain.putInt(ref + BH_TYPE_ID, typeId);
            domain.putInt(ref + BH_PAYLOAD_BYTES, (int) payloadBytes);
            flushLine.accept(ref - BLOCK_HEADER_BYTES);
        }
        return ref;
    }

    /** Slots a thread reserved in bulk and hands out without a lock: a volatile, per-thread cache. */
    private static final class Magazine {
        final long[][] refs;
        final int[] counts;

        Magazine(int classes) {
            refs = new long[classes][MAGAZINE_SLOTS];
            counts = new int[classes];
        }
    }

    /** Slots reserved per refill of a thread's cache. */
    static final int MAGAZINE_SLOTS = 16;

    private final ThreadLocal<Magazine> magazines = ThreadLocal.withInitial(() -> new Magazine(classCount()));

    private int classCount() {
        return classCount;
    }

    private long reserveSlot(int sizeClass) {
        Magazine magazine = magazines.get();
        if (magazine.counts[sizeClass] == 0) {
            synchronized (poolLocks[sizeClass]) {
                long[] refs = magazine.refs[sizeClass];
                int n = 0;
                while (n < MAGAZINE_SLOTS) {
                    long ref = reserveSlotLocked(sizeClass);
                    if (ref == 0) {
                        break;
                    }
                    refs[n++] = ref;
                }
                // hand them out lowest address first
                for (int i = 0, j = n - 1; i < j; i++, j--) {
                    long t = refs[i];
                    refs[i] = refs[j];
                    refs[j] = t;
                }
                magazine.counts[sizeClass] = n;
            }
            if (magazine.counts[sizeClass] == 0) {
                return returnEmptySlabs() ? reserveSlot(sizeClass) : 0;
            }
        }
        return magazine.refs[sizeClass][--magazine.counts[sizeClass]];
    }

    private long reserveSlotLocked(int sizeClass) {
        SizeClasses.Slab slab = slabs[sizeClass];
        Chunk chunk = current[sizeClass];
        while (chunk == null || chunk.free == 0) {
            chunk = candidates[sizeClass].poll();
            if (chunk == null) {
                chunk = newSlab(sizeClass);
                if (chunk == null) {
                    return 0;
                }
            } else if (chunk.kind != CHUNK_SLAB || chunk.sizeClass != sizeClass) {
                chunk = null; // returned to the free pool since it was listed
                continue;
            }
            load(chunk);
            current[sizeClass] = chunk;
        }
        synchronized (chunk) {
            int slot = findClearBit(chunk.occupied, chunk.hint, slab.slots());
            chunk.occupied[slot >>> 6] |= 1L << slot;
            chunk.free--;
            chunk.hint = slot + 1;
            return chunkStart(chunk.index) + slab.dataOffset() + (long) slot * slab.slotBytes() + BLOCK_HEADER_BYTES;
        }
    }

    private static int findClearBit(long[] bits, int from, int limit) {
        for (int pass = 0; pass < 2; pass++) {
            int start = pass == 0 ? from : 0;
            int end = pass == 0 ? limit : Math.min(from, limit);
            for (int word = start >>> 6; word << 6 < end; word++) {
                long clear = ~bits[word];
                if (word == start >>> 6) {
                    clear &= -1L << (start & 63);
                }
                if (clear != 0) {
                    int bit = (word << 6) + Long.numberOfTrailingZeros(clear);
                    if (bit < end) {
                        return bit;
                    }
                }
            }
        }
        throw new IllegalStateException("no clear bit although the chunk counts free slots");
    }

    /** Loads a slab's bitmap the first time it is needed: lazy, chunk by chunk. */
    private void load(Chunk chunk) {
        synchronized (chunk) {
            if (chunk.occupied != null) {
                return;
            }
            SizeClasses.Slab slab = slabs[chunk.sizeClass];
            long[] bits = new long[slab.bitmapWords()];
            long base = chunkStart(chunk.index);
            int used = 0;
            for (int w = 0; w < bits.length; w++) {
                bits[w] = view.get(LE_LONG, base + 8L * w);
                used += Long.bitCount(bits[w]);
            }
            int tailBits = slab.slots() & 63;
            if (tailBits != 0) {
                bits[bits.length - 1] |= -1L << tailBits; // slots beyond the last never exist
            }
            chunk.occupied = bits;
            chunk.free = slab.slots() - used;
        }
    }

    /** Makes a free chunk an empty slab, durably, at once (an empty slab is valid after any crash). */
    private Chunk newSlab(int sizeClass) {
        Chunk chunk;
        synchronized (chunkLock) {
            int index = findFreeRun(1, logReserveChunks);
            if (index < 0) {
                return null;
            }
            chunk = chunks[index];
            if (!reserveSpace(index, 1)) {
                return null;
            }
            chunk.kind = CHUNK_SLAB;
            chunk.sizeClass = sizeClass;
            freeChunks--;
        }
        SizeClasses.Slab slab = slabs[sizeClass];
        long base = chunkStart(chunk.index);
        domain.fill(base, 8L * slab.bitmapWords(), (byte) 0);
        domain.publish(base, 8L * slab.bitmapWords()); // the zeros durable before the chunk word says slab
        domain.putLong(chunkWordOffset(chunk.index), chunkWord(CHUNK_SLAB, sizeClass, 0));
        domain.publish(chunkWordOffset(chunk.index), 8); // before any transaction can set a bit in it
        return chunk;
    }

    /**
     * Takes a free chunk for a log extension, durably, at once. Undo entries leave the log reserve
     * alone; a commit record may take it, and may wait for another commit record's extension.
     * Returns its start, or 0 if none.
     */
    @Override
    public long takeLogChunk(boolean commitRecord, boolean mayWait) {
        long start = takeLogChunkOnce(commitRecord, false);
        if (start == 0 && returnEmptySlabs()) {
            start = takeLogChunkOnce(commitRecord, false);
        }
        return start != 0 || !mayWait ? start : takeLogChunkOnce(commitRecord, true);
    }

    private long takeLogChunkOnce(boolean commitRecord, boolean mayWait) {
        int index;
        synchronized (chunkLock) {
            long deadline = System.nanoTime() + COMMIT_RECORD_WAIT_MILLIS * 1_000_000;
            while (true) {
                index = findFreeRun(1, commitRecord ? 0 : logReserveChunks);
                if (index >= 0) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (!commitRecord || !mayWait || commitRecordChunks == 0 || left <= 0) {
                    return 0;
                }
                try {
                    chunkLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
            if (!reserveSpace(index, 1)) {
                return 0;
            }
            chunks[index].kind = CHUNK_LOG;
            freeChunks--;
            if (commitRecord) {
                commitRecordChunks++;
            }
        }
        domain.putLong(chunkWordOffset(index), chunkWord(CHUNK_LOG, 0, 0));
        domain.publish(chunkWordOffset(index), 8);
        return chunkStart(index);
    }

    /**
     * Makes log extensions no slot links any more free: each chunk word durably free first, then the
     * chunks reusable. Chunks that are not log extensions are left alone.
     */
    @Override
    public void returnLogChunks(java.util.List<Long> chunkStarts, int commitRecordChunksAmong) {
        java.util.List<Integer> returned = new java.util.ArrayList<>(chunkStarts.size());
        for (long start : chunkStarts) {
            int index = chunkIndexOf(start);
            if (index >= 0 && index < chunks.length && chunkStart(index) == start && chunks[index].kind == CHUNK_LOG) {
                domain.putLong(chunkWordOffset(index), chunkWord(CHUNK_FREE, 0, 0));
                domain.flush(chunkWordOffset(index), 8);
                returned.add(index);
            }
        }
        domain.publishFlushed(); // durably free before another thread can take the chunk and write its word
        synchronized (chunkLock) {
            for (int index : returned) {
                chunks[index].kind = CHUNK_FREE;
                freeChunks++;
                freeChunkHint = Math.min(freeChunkHint, index);
            }
            commitRecordChunks = Math.max(0, commitRecordChunks - commitRecordChunksAmong);
            chunkLock.notifyAll();
        }
    }

    /**
     * At open, once every slot's extensions are unlinked: frees every chunk still of the log kind
     * (left by a crash between unlinking and freeing, or linked by an older version that kept them).
     *
     * @return how many were freed
     */
    public int freeUnlinkedLogChunks() {
        java.util.List<Long> logChunks = new java.util.ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i].kind == CHUNK_LOG) {
                logChunks.add(chunkStart(i));
            }
        }
        if (!logChunks.isEmpty()) {
            returnLogChunks(logChunks, 0);
        }
        return logChunks.size();
    }

    private long reserveRun(long payloadBytes) {
        long ref = reserveRunOnce(payloadBytes);
        return ref == 0 && returnEmptySlabs() ? reserveRunOnce(payloadBytes) : ref;
    }

    private long reserveRunOnce(long payloadBytes) {
        long needed = payloadBytes + BLOCK_HEADER_BYTES;
        long run = (needed + chunkBytes - 1) / chunkBytes;
        if (run > chunks.length) {
            return 0;
        }
        synchronized (chunkLock) {
            int first = findFreeRun((int) run, logReserveChunks);
            if (first < 0 || !reserveSpace(first, (int) run)) {
                return 0;
            }
            for (int i = first; i < first + run; i++) {
                chunks[i].kind = RESERVED;
            }
            freeChunks -= (int) run;
            return chunkStart(first) + BLOCK_HEADER_BYTES;
        }
    }

    /** Called under the chunk lock with free chunks: has the file system hold their blocks. */
    private boolean reserveSpace(int first, int run) {
        boolean reserved = reserver.reserve(chunkStart(first), run * chunkBytes);
        fileSystemFull = !reserved;
        return reserved;
    }

    /** {@return whether the last chunk the allocator could not get failed because the file system is full} */
    public boolean fileSystemFull() {
        return fileSystemFull;
    }

    /** {@return the first of {@code run} free chunks in a row, leaving at least {@code keep} free; -1 if none} */
    private int findFreeRun(int run, int keep) {
        if (freeChunks - run < keep) {
            return -1;
        }
        int n = chunks.length;
        for (int pass = 0; pass < 2; pass++) {
            int start = pass == 0 ? freeChunkHint : 0;
            int length = 0;
            for (int i = start; i < n; i++) {
                if (chunks[i].kind == CHUNK_FREE) {
                    if (++length == run) {
                        freeChunkHint = i + 1 < n ? i + 1 : 0;
                        return i - run + 1;
                    }
                } else {
                    length = 0;
                }
            }
        }
        return -1;
    }

    /** Drops a reservation that was never published (rollback), or a block whose free is durable. */
    public void release(long ref) {
        int index = chunkIndexOf(ref);
        Chunk chunk = chunks[index];
        if (ref == chunkStart(index) + BLOCK_HEADER_BYTES && (chunk.kind == RESERVED || chunk.kind == CHUNK_LARGE)) {
            long run = runLength(ref);
            synchronized (chunkLock) {
                for (int i = index; i < index + run; i++) {
                    chunks[i].kind = CHUNK_FREE;
                }
                freeChunks += (int) run;
                freeChunkHint = Math.min(freeChunkHint, index);
                chunkLock.notifyAll();
            }
            return;
        }
        int sizeClass = chunk.sizeClass;
        SizeClasses.Slab slab = slabs[sizeClass];
        int slot = slotOf(chunk, ref);
        boolean wasFull;
        boolean empty;
        synchronized (chunk) {
            if (chunk.occupied == null) {
                load(chunk); // first use: the persistent bitmap already shows the slot free
                return;
            }
            if ((chunk.occupied[slot >>> 6] & (1L << slot)) == 0) {
                return; // already free: never count a slot twice
            }
            wasFull = chunk.free == 0; // read under the chunk's monitor: one release sees full -> not full
            chunk.occupied[slot >>> 6] &= ~(1L << slot);
            chunk.free++;
            chunk.hint = Math.min(chunk.hint, slot);
            empty = chunk.free == slab.slots();
        }
        if (wasFull || empty) {
            synchronized (poolLocks[sizeClass]) {
                // The chunk may have been returned (and even reused) since: a candidate only while it is this class's slab.
                if (wasFull && chunk != current[sizeClass] && chunk.kind == CHUNK_SLAB && chunk.sizeClass == sizeClass) {
                    candidates[sizeClass].add(chunk);
                }
                if (empty && chunk != current[sizeClass] && returnIfEmpty(chunk, sizeClass)) {
                    candidates[sizeClass].removeIf(listed -> listed == chunk);
                } else {
                    empty = false;
                }
            }
            if (empty) {
                publishFree(chunk);
            }
        }
        assert slab.slots() > slot;
    }

    /**
     * Under the class's pool lock: if {@code chunk} is an empty slab of {@code sizeClass}, takes it
     * out of the slab state (no slot can be reserved in it any more). {@return whether it did; the
     * caller drops it from the class's lists and then calls {@link #publishFree}}
     */
    private boolean returnIfEmpty(Chunk chunk, int sizeClass) {
        synchronized (chunk) {
            if (chunk.kind != CHUNK_SLAB || chunk.sizeClass != sizeClass || chunk.occupied == null
                    || chunk.free != slabs[sizeClass].slots()) {
                return false;
            }
            chunk.kind = RETURNING;
            chunk.occupied = null;
            chunk.free = 0;
            chunk.hint = 0;
            return true;
        }
    }

    /** Makes a chunk taken out of the slab state durably free (one store of its chunk word), then reusable. */
    private void publishFree(Chunk chunk) {
        domain.putLong(chunkWordOffset(chunk.index), chunkWord(CHUNK_FREE, 0, 0));
        domain.publish(chunkWordOffset(chunk.index), 8);
        synchronized (chunkLock) {
            chunk.kind = CHUNK_FREE;
            freeChunks++;
            freeChunkHint = Math.min(freeChunkHint, chunk.index);
            chunkLock.notifyAll();
        }
    }

    /**
     * When a chunk is needed and none is free: returns every empty slab, also each class's current
     * chunk and slabs whose bitmap was never loaded. Takes each class's pool lock in turn, never two,
     * and never while the chunk lock is held. {@return whether it returned any}
     */
    private boolean returnEmptySlabs() {
        java.util.List<Chunk> returned = new java.util.ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            synchronized (poolLocks[c]) {
                Chunk now = current[c];
                if (now != null) {
                    load(now);
                    if (returnIfEmpty(now, c)) {
                        current[c] = null;
                        returned.add(now);
                    }
                }
                for (java.util.Iterator<Chunk> it = candidates[c].iterator(); it.hasNext(); ) {
                    Chunk candidate = it.next();
                    if (candidate.kind != CHUNK_SLAB || candidate.sizeClass != c) {
                        it.remove();
                        continue;
                    }
                    load(candidate);
                    if (returnIfEmpty(candidate, c)) {
                        it.remove();
                        returned.add(candidate);
                    }
                }
            }
        }
        for (Chunk chunk : returned) {
            publishFree(chunk);
        }
        return !returned.isEmpty();
    }

    private long runLength(long ref) {
        long payload = Integer.toUnsignedLong(view.get(LE_INT, ref + BH_PAYLOAD_BYTES));
        return (payload + BLOCK_HEADER_BYTES + chunkBytes - 1) / chunkBytes;
    }

    private int slotOf(Chunk chunk, long ref) {
        SizeClasses.Slab slab = slabs[chunk.sizeClass];
        return (int) ((ref - BLOCK_HEADER_BYTES - chunkStart(chunk.index) - slab.dataOffset()) / slab.slotBytes());
    }

    // ------------------------------------------------------------------ publish (redo)

    /** A redo operation: what a transaction logs before its commit point and applies after it. */
    public record Redo(int kind, long target, long value) {}

    /** {@return the redo operations that publish the allocation of {@code ref}} */
    public Redo[] publishRedo(long ref) {
        return redoFor(ref, true);
    }

    /** {@return the redo operations that publish the free of {@code ref}} */
    public Redo[] freeRedo(long ref) {
        return redoFor(ref, false);
    }

    private Redo[] redoFor(long ref, boolean allocate) {
        int index = chunkIndexOf(ref);
        Chunk chunk = chunks[index];
        if (chunk.kind == CHUNK_SLAB) {
            if (!allocate) {
                // The chunk's volatile bitmap must exist, with this slot taken, before the persistent
                // bit is cleared: a first load between the clear and release() would see the slot
                // free and hand it out while release() then drops that new reservation.
                load(chunk);
            }
            int slot = slotOf(chunk, ref);
            long wordOffset = chunkStart(index) + 8L * (slot >>> 6);
            return new Redo[] {new Redo(allocate ? LOG_SET_BITS : LOG_CLEAR_BITS, wordOffset, 1L << slot)};
        }
        long run = runLength(ref);
        Redo[] redo = new Redo[(int) run];
        for (int i = 0; i < run; i++) {
            long word = !allocate ? chunkWord(CHUNK_FREE, 0, 0)
                    : i == 0 ? chunkWord(CHUNK_LARGE, 0, run) : chunkWord(CHUNK_LARGE_TAIL, 0, index);
            redo[i] = new Redo(LOG_PUT_LONG, chunkWordOffset(index + i), word);
        }
        return redo;
    }

    /**
     * Applies one redo operation to the persistent state (at commit, after the commit point, and in
     * recovery). Idempotent. The caller flushes {@code target}.
     */
    @Override
    public void applyRedo(int kind, long target, long value) {
        apply(new Redo(kind, target, value));
    }

    public void apply(Redo redo) {
        switch (redo.kind()) {
            case LOG_SET_BITS, LOG_CLEAR_BITS -> {
                Chunk chunk = chunks[chunkIndexOf(redo.target())];
                synchronized (chunk) {
                    long word = view.get(LE_LONG, redo.target());
                    word = redo.kind() == LOG_SET_BITS ? word | redo.value() : word & ~redo.value();
                    domain.putLong(redo.target(), word);
                }
            }
            case LOG_PUT_LONG -> {
                domain.putLong(redo.target(), redo.value());
                int index = (int) ((redo.target() - layout.chunkTableOffset()) / CHUNK_ENTRY_BYTES);
                int kind = chunkKind(redo.value());
                synchronized (chunkLock) {
                    if (kind == CHUNK_LARGE || kind == CHUNK_LARGE_TAIL) {
                        chunks[index].kind = kind; // a free stays volatile-taken until release()
                    }
                }
            }
            default -> throw new IllegalArgumentException("not a redo kind: " + redo.kind());
        }
    }

    // ------------------------------------------------------------------ queries

    /** {@return whether {@code ref} is the start of a published (persistently allocated) block} */
    public boolean isAllocated(long ref) {
        if (ref < layout.objectAreaOffset() + BLOCK_HEADER_BYTES || ref >= layout.objectAreaEnd() || (ref & 7) != 0) {
            return false;
        }
        int index = chunkIndexOf(ref);
        long word = chunkWordAt(index);
        switch (chunkKind(word)) {
            case CHUNK_SLAB -> {
                int sizeClass = chunkClass(word);
                if (sizeClass >= classCount) {
                    return false;
                }
                SizeClasses.Slab slab = slabs[sizeClass];
                long relative = ref - BLOCK_HEADER_BYTES - chunkStart(index) - slab.dataOffset();
                if (relative < 0 || relative % slab.slotBytes() != 0 || relative / slab.slotBytes() >= slab.slots()) {
                    return false;
                }
                int slot = (int) (relative / slab.slotBytes());
                return (view.get(LE_LONG, chunkStart(index) + 8L * (slot >>> 6)) & (1L << slot)) != 0;
            }
            case CHUNK_LARGE -> {
                return ref == chunkStart(index) + BLOCK_HEADER_BYTES;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * {@return the bytes the published block at {@code ref} occupies: its slot, or its run of chunks}
     * Only for a block {@link #isAllocated} accepts.
     */
    public long occupiedBytes(long ref) {
        int index = chunkIndexOf(ref);
        long word = chunkWordAt(index);
        return chunkKind(word) == CHUNK_SLAB ? SizeClasses.SLOT_BYTES[chunkClass(word)] : chunkHigh(word) * chunkBytes;
    }

    /** {@return the bytes a block of this payload really takes (its slot, or its run of chunks)} */
    public long footprint(long payloadBytes) {
        int sizeClass = SizeClasses.classFor(payloadBytes, classCount);
        return sizeClass >= 0 ? SizeClasses.SLOT_BYTES[sizeClass]
                : (payloadBytes + BLOCK_HEADER_BYTES + chunkBytes - 1) / chunkBytes * chunkBytes;
    }

    /** Calls {@code action} with every published block, in address order. Reads every slab bitmap. */
    public void forEachAllocated(LongConsumer action) {
        for (int i = 0; i < chunks.length; i++) {
            long word = chunkWordAt(i);
            if (chunkKind(word) == CHUNK_SLAB && chunkClass(word) < classCount) {
                SizeClasses.Slab slab = slabs[chunkClass(word)];
                long base = chunkStart(i);
                for (int w = 0; w < slab.bitmapWords(); w++) {
                    long bits = view.get(LE_LONG, base + 8L * w);
                    while (bits != 0) {
                        int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
                        bits &= bits - 1;
                        if (slot < slab.slots()) {
                            action.accept(base + slab.dataOffset() + (long) slot * slab.slotBytes() + BLOCK_HEADER_BYTES);
                        }
                    }
                }
            } else if (chunkKind(word) == CHUNK_LARGE) {
                action.accept(chunkStart(i) + BLOCK_HEADER_BYTES);
            }
        }
    }

    /**
     * Frees a published block directly and durably, outside any transaction. Only for the recovery
     * GC, which runs at open before any transaction can exist.
     */
    public void freeNow(long ref) {
        for (Redo redo : freeRedo(ref)) {
            apply(redo);
            domain.flush(redo.target(), 8);
        }
        domain.publishFlushed();
        release(ref);
    }

    /**
     * Capacity and fragmentation figures. Reads every slab bitmap (not for hot paths).
     *
     * @param objectAreaBytes the object area's size
     * @param freeChunkBytes bytes in chunks that are entirely free
     * @param slabBytes bytes in slab chunks
     * @param largeBytes bytes in chunks of large blocks
     * @param logBytes bytes in log extension chunks
     * @param allocatedBlocks published blocks
     * @param allocatedSlotBytes bytes of slab slots holding published blocks
     * @param freeSlotBytes bytes of free slots inside slab chunks (external fragmentation)
     */
    public record Stats(long objectAreaBytes, long freeChunkBytes, long slabBytes, long largeBytes, long logBytes,
                       long allocatedBlocks, long allocatedSlotBytes, long freeSlotBytes) {

        /** {@return free slot bytes as a fraction of all slab bytes: 0 is no fragmentation} */
        public double fragmentation() {
            return slabBytes == 0 ? 0 : (double) freeSlotBytes / slabBytes;
        }
    }

    /** {@return the allocator's current figures} */
    public Stats stats() {
        long free = 0;
        long slab = 0;
        long large = 0;
        long log = 0;
        long blocks = 0;
        long slotBytes = 0;
        long freeSlots = 0;
        for (int i = 0; i < chunks.length; i++) {
            long word = chunkWordAt(i);
            switch (chunkKind(word)) {
                case CHUNK_FREE -> free += chunkBytes;
                case CHUNK_LOG -> log += chunkBytes;
                case CHUNK_LARGE -> {
                    large += chunkBytes;
                    blocks++;
                }
                case CHUNK_LARGE_TAIL -> large += chunkBytes;
                case CHUNK_SLAB -> {
                    slab += chunkBytes;
                    if (chunkClass(word) < classCount) {
                        SizeClasses.Slab geometry = slabs[chunkClass(word)];
                        int used = 0;
                        for (int w = 0; w < geometry.bitmapWords(); w++) {
                            used += Long.bitCount(view.get(LE_LONG, chunkStart(i) + 8L * w));
                        }
                        blocks += used;
                        slotBytes += (long) used * geometry.slotBytes();
                        freeSlots += (long) (geometry.slots() - used) * geometry.slotBytes();
                    }
                }
                default -> { }
            }
        }
        return new Stats(layout.objectAreaEnd() - layout.objectAreaOffset(), free, slab, large, log, blocks, slotBytes, freeSlots);
    }
}
