package io.jpmem.heap;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.log.LogSlot;
import io.jpmem.heap.internal.util.LongSet;
import io.jpmem.persist.FlushMechanism;
import io.jpmem.persist.PersistenceDomain;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;

/**
 * A failure-atomic transaction on a {@link PersistentHeap}: after a crash at any moment, the heap
 * holds either everything the transaction did or nothing of it.
 *
 * <pre>{@code
 * heap.transaction(tx -> {                       // lambda form
 *     long node = tx.allocate(nodeType);
 *     tx.putLong(node, 42);
 *     tx.putRef(list + NEXT, node);
 * });
 * try (Transaction tx = heap.begin()) {          // try-with-resources form
 *     tx.putLong(account, tx.heap().getLong(account) - 10);
 *     tx.commit();                               // durable when this returns
 * }                                              // close without commit: rolled back
 * }</pre>
 *
 * <h2>What it does</h2>
 * Undo logging, field-granular: before the first store to a location in this transaction, the
 * old bytes of exactly that location go to the thread's log slot and are made durable (flush +
 * fence) before the store. Blocks allocated in this transaction are not logged. Allocations and
 * frees are reserved in volatile state and published at commit through redo entries (see
 * {@link io.jpmem.heap.internal.alloc.Allocator}). Each transaction keeps its own set of dirty cache
 * lines and flushes each once at commit. The commit protocol and its fence count are in
 * docs/ARCHITECTURE.md.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A transaction belongs to the thread that began it; other threads get {@link WrongThreadException}.
 *   <li>Nesting is flat: {@link PersistentHeap#begin()} inside a transaction joins it; only the
 *       outermost commit commits. A nested level that closes without committing rolls back the
 *       whole transaction, and the outer levels then fail with {@link IllegalStateException}.
 *   <li>An exception from the lambda form rolls the transaction back and is rethrown.
 *   <li>Isolation is the application's: concurrent transactions must touch disjoint data, or hold
 *       locks. {@link #lock} takes a lock and holds it until the transaction ends (two-phase
 *       locking), so no other thread that takes the same lock sees uncommitted data. Reads of data
 *       another thread may be writing, and the choice of locks, are the application's.
 *   <li>Stores made with the heap's raw {@code put*} methods inside a transaction are not logged:
 *       use this object's methods.
 * </ul>
 */
public final class Transaction implements AutoCloseable {

    /** State shared by all nesting levels of one transaction. */
    static final class Shared {
        final PersistentHeap heap;
        final PersistenceDomain domain;
        final MemorySegment view;
        final Allocator allocator;
        final LogSlot slot;
        final Thread owner;
        final boolean tracksLines;
        final LongSet logged = new LongSet();
        final LongSet dirtyLines = new LongSet();
        final TreeMap<Long, Long> newBlocks = new TreeMap<>();
        final TreeMap<Long, Long> snapshots = new TreeMap<>();
        final List<Long> reserved = new ArrayList<>();
        final List<Long> frees = new ArrayList<>();
        final LongSet freed = new LongSet();
        final List<Lock> locks = new ArrayList<>();
        final List<Runnable> rollbackActions = new ArrayList<>();
        final List<Runnable> endActions = new ArrayList<>();
        /** A nested-level view handed to layers that join this transaction (roots, enhanced stores); made once. */
        Transaction joined;
        int depth;
        boolean ended;
        boolean rolledBack;
        long lastNewStart = -1;
        long lastNewEnd = -1;

        Shared(PersistentHeap heap, LogSlot slot, Allocator allocator) {
            this.heap = heap;
            this.domain = heap.domain();
            this.view = domain.view();
            this.allocator = allocator;
            this.slot = slot;
            this.owner = Thread.currentThread();
            this.tracksLines = domain.mechanism() != FlushMechanism.PAGE_CACHE;
        }
    }

    private final Shared s;
    private final boolean outermost;
    private boolean finished;

    Transaction(Shared shared, boolean outermost) {
        this.s = shared;
        this.outermost = outermost;
    }

    /** {@return the heap this transaction updates} */
    public PersistentHeap heap() {
        return s.heap;
    }

    /** {@return whether the transaction can still be used (not committed, not rolled back)} */
    public boolean isActive() {
        return !finished && !s.ended;
    }

    // ------------------------------------------------------------------ allocation

    /**
     * Allocates a zeroed block of a record type, published at commit.
     *
     * @return the new block's reference
     * @throws HeapFullException if it does not fit (the transaction then rolls back when it ends)
     * @throws IllegalArgumentException if the type is an array type or not this heap's
     */
    public long allocate(HeapType type) {
        if (type.layout().shape() != TypeLayout.Shape.RECORD) {
            throw new IllegalArgumentException(type.layout().className() + " is an array type: use allocateArray");
        }
        return allocate(type, type.layout().instanceByteSize());
    }

    /**
     * Allocates a zeroed array block of {@code length} elements, published at commit.
     *
     * @throws HeapFullException if it does not fit
     * @throws IllegalArgumentException if the type is not an array type, or the length is negative
     */
    public long allocateArray(HeapType type, long length) {
        if (type.layout().shape() != TypeLayout.Shape.ARRAY) {
            throw new IllegalArgumentException(type.layout().className() + " is not an array type");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative array length " + length);
        }
        return allocate(type, Math.multiplyExact(length, type.layout().elementKind().byteSize()));
    }

    /**
     * Allocates a zeroed block of {@code payloadBytes} with the given type id in its header.
     *
     * @throws HeapFullException if it does not fit
     * @throws IllegalArgumentException if the type is not recorded in this heap, or the size is out of range
     */
    public long allocate(HeapType type, long payloadBytes) {
        long ref = reserve(type, payloadBytes);
        if (payloadBytes > 0) {
            s.domain.fill(ref, payloadBytes, (byte) 0);
            dirtyRange(ref, payloadBytes);
        }
        return ref;
    }

    /**
     * Allocates an array block of one-byte elements holding a copy of {@code contents}, published
     * at commit: {@link #allocateArray} then {@link #putBytes}, in one step. The block is not
     * zeroed first, and the copy starts its write-back as it is made (on persistent memory,
     * non-temporal stores through libpmem) instead of line by line at commit.
     *
     * @throws HeapFullException if it does not fit
     * @throws IllegalArgumentException if the type is not an array type of BYTE or BOOLEAN elements
     */
    public long allocateArrayCopy(HeapType type, byte[] contents) {
        TypeLayout layout = type.layout();
        if (layout.shape() != TypeLayout.Shape.ARRAY || layout.elementKind().byteSize() != 1) {
            throw new IllegalArgumentException(layout.className() + " is not an array type of one-byte elements");
        }
        long ref = reserve(type, contents.length);
        if (contents.length > 0) {
            if (s.tracksLines) {
                s.domain.putBytesAndFlush(ref, contents, 0, contents.length); // drained before the commit point
            } else {
                s.domain.putBytes(ref, contents, 0, contents.length);
            }
        }
        return ref;
    }

    /** Reserves a block with the type's id in its header; its payload is what the block held before. */
    private long reserve(HeapType type, long payloadBytes) {
        checkActive();
        HeapType recorded = s.heap.types().get(type.id());
        if (recorded.fingerprint() != type.fingerprint()) {
            throw new IllegalArgumentException("type " + type.layout().className() + " (id " + type.id()
                    + ") is not this heap's type " + type.id());
        }
        long ref = s.allocator.reserve(type.id(), payloadBytes, this::dirtyLine);
        if (ref == 0) {
            throw new HeapFullException("heap " + s.heap.path() + " has no room for a block of " + payloadBytes
                    + " bytes (" + type.layout().className() + ")");
        }
        s.reserved.add(ref);
        long end = ref + payloadBytes;
        s.newBlocks.put(ref, end);
        s.lastNewStart = ref;
        s.lastNewEnd = end;
        return ref;
    }

    /**
     * Frees a block at commit (it stays readable until then; a rollback keeps it).
     *
     * @throws IllegalArgumentException if {@code ref} is not an allocated block, or is already freed
     *     in this transaction
     */
    public void free(long ref) {
        checkActive();
        boolean newHere = s.newBlocks.containsKey(ref);
        if (!newHere && !s.allocator.isAllocated(ref)) {
            throw new IllegalArgumentException("reference " + ref + " is not an allocated block of heap " + s.heap.path());
        }
        if (!s.freed.add(ref)) {
            throw new IllegalArgumentException("block " + ref + " is already freed in this transaction");
        }
        s.frees.add(ref);
    }

    // ------------------------------------------------------------------ logged stores

    /** Stores a byte, logged. */
    public void putByte(long offset, byte value) {
        before(s.heap.checkTxStore(offset, 1), 1);
        s.domain.putByte(offset, value);
    }

    /** Stores a boolean as one byte, logged. */
    public void putBoolean(long offset, boolean value) {
        putByte(offset, value ? (byte) 1 : 0);
    }

    /** Stores an aligned short, logged. */
    public void putShort(long offset, short value) {
        before(s.heap.checkTxStore(offset, 2), 2);
        s.domain.putShort(offset, value);
    }

    /** Stores an aligned char, logged. */
    public void putChar(long offset, char value) {
        putShort(offset, (short) value);
    }

    /** Stores an aligned int, logged. */
    public void putInt(long offset, int value) {
        before(s.heap.checkTxStore(offset, 4), 4);
        s.domain.putInt(offset, value);
    }

    /** Stores an aligned float, logged. */
    public void putFloat(long offset, float value) {
        putInt(offset, Float.floatToRawIntBits(value));
    }

    /** Stores an aligned long, logged. */
    public void putLong(long offset, long value) {
        before(s.heap.checkTxStore(offset, 8), 8);
        s.domain.putLong(offset, value);
    }

    /** Stores an aligned double, logged. */
    public void putDouble(long offset, double value) {
        putLong(offset, Double.doubleToRawLongBits(value));
    }

    /**
     * Stores a reference, logged.
     *
     * @throws IllegalArgumentException if {@code reference} is neither 0 nor an aligned offset in the object area
     */
    public void putRef(long offset, long reference) {
        s.heap.checkReference(reference);
        putLong(offset, reference);
    }

    /** Copies bytes into the heap, logged. */
    public void putBytes(long offset, byte[] source, int index, int length) {
        Objects.checkFromIndexSize(index, length, source.length);
        before(s.heap.checkTxRange(offset, length), length);
        s.domain.putBytes(offset, source, index, length);
    }

    /** Fills a range, logged. */
    public void fill(long offset, long byteSize, byte value) {
        before(s.heap.checkTxRange(offset, byteSize), byteSize);
        s.domain.fill(offset, byteSize, value);
    }

    /**
     * Logs the whole range {@code [offset, offset + byteSize)} now, with one undo entry and one
     * fence, so that later stores inside it in this transaction are not logged one by one (PMDK's
     * {@code pmemobj_tx_add_range}). Use it before updating several fields of one object.
     *
     * <p>Unlike per-store logging, which is field-granular, a rollback restores the whole range:
     * another transaction must not commit stores inside it while this one is in progress (hold a
     * lock on the object with {@link #lock}).
     *
     * @throws IndexOutOfBoundsException if the range is outside the object area
     * @throws HeapFullException if the log cannot grow to hold it
     */
    public void snapshot(long offset, long byteSize) {
        s.heap.checkTxRange(offset, byteSize);
        checkActive();
        if (byteSize == 0 || isNew(offset, byteSize) || inSnapshot(offset, byteSize)) {
            return;
        }
        logUndo(offset, byteSize);
        s.snapshots.put(offset, offset + byteSize);
    }

    private boolean inSnapshot(long offset, long byteSize) {
        if (s.snapshots.isEmpty()) {
            return false;
        }
        Map.Entry<Long, Long> range = s.snapshots.floorEntry(offset);
        return range != null && offset + byteSize <= range.getValue();
    }

    /** A logged 8-byte store anywhere in the heap's metadata (root slots). */
    void putLongAnywhere(long offset, long value) {
        checkActive();
        before(offset, 8);
        s.domain.putLong(offset, value);
    }

    /** Runs {@code action} if the transaction rolls back (volatile bookkeeping of the layers above). */
    void onRollback(Runnable action) {
        checkActive();
        s.rollbackActions.add(action);
    }

    /** Runs {@code action} when the transaction ends, committed or rolled back. */
    void onEnd(Runnable action) {
        checkActive();
        s.endActions.add(action);
    }

    private void before(long offset, long byteSize) {
        checkActive();
        if (byteSize == 0) {
            return;
        }
        if (!isNew(offset, byteSize) && !inSnapshot(offset, byteSize)) {
            boolean single = byteSize <= 8;
            if (!single || s.logged.add(offset << 4 | byteSize)) {
                logUndo(offset, byteSize);
            }
        }
        dirtyRange(offset, byteSize);
    }

    private void logUndo(long offset, long byteSize) {
        long maxData = s.slot.maxEntryData();
        for (long at = offset; at < offset + byteSize; at += maxData) {
            long length = Math.min(maxData, offset + byteSize - at);
            if (!s.slot.append(LOG_UNDO, at, s.view.asSlice(at, length))) {
                throw new HeapFullException("heap " + s.heap.path() + " has no room to grow transaction log slot "
                        + s.slot.index());
            }
        }
        s.domain.drain(); // the undo entry is durable before the store it protects
    }

    private boolean isNew(long offset, long byteSize) {
        if (s.newBlocks.isEmpty()) {
            return false;
        }
        if (offset >= s.lastNewStart && offset + byteSize <= s.lastNewEnd) {
            return true;
        }
        Map.Entry<Long, Long> block = s.newBlocks.floorEntry(offset);
        if (block != null && offset + byteSize <= block.getValue()) {
            s.lastNewStart = block.getKey();
            s.lastNewEnd = block.getValue();
            return true;
        }
        return false;
    }

    private void dirtyLine(long offset) {
        if (s.tracksLines) {
            s.dirtyLines.add(offset >>> 6);
        }
    }

    private void dirtyRange(long offset, long byteSize) {
        if (s.tracksLines) {
            for (long line = offset >>> 6; line <= (offset + byteSize - 1) >>> 6; line++) {
                s.dirtyLines.add(line);
            }
        }
    }

    // ------------------------------------------------------------------ locks

    /**
     * Takes {@code lock} now and holds it until this transaction commits or rolls back.
     *
     * @throws IllegalStateException if the transaction has ended
     */
    public void lock(Lock lock) {
        checkActive();
        lock.lock();
        s.locks.add(lock);
    }

    // ------------------------------------------------------------------ end

    /**
     * Commits. At the outermost level: when this returns, every store, allocation and free of the
     * transaction is durable (in the heap's durability mode) and visible as a whole after any crash.
     * At a nested level: marks the level done; the outermost commit decides.
     *
     * @throws IllegalStateException if the transaction has already ended
     * @throws HeapFullException if the commit's redo entries do not fit; the transaction is rolled back
     */
    public void commit() {
        checkActive();
        if (this == s.joined) {
            return; // the view from PersistentHeap.currentTransaction(): its owner's level decides
        }
        finished = true;
        if (!outermost) {
            s.depth--;
            return;
        }
        try {
            commitOutermost();
        } catch (RuntimeException | Error e) {
            if (!s.ended) {
                rollbackAll();
            }
            throw e;
        }
    }

    /**
     * Ends this level: if it was not committed, rolls the whole transaction back. Idempotent.
     */
    @Override
    public void close() {
        if (finished || this == s.joined) {
            return;
        }
        checkOwner();
        finished = true;
        if (!s.ended) {
            rollbackAll();
        }
        if (!outermost) {
            s.depth--;
        }
    }

    private void commitOutermost() {
        Shared t = s;
        boolean hasRedo = !t.reserved.isEmpty() || !t.frees.isEmpty();
        if (t.slot.entryCount() == 0 && !hasRedo && t.dirtyLines.isEmpty()) {
            end(false);
            return;
        }
        if (t.tracksLines) {
            t.dirtyLines.forEach(line -> t.domain.flush(line << 6, 64));
        }
        long epoch = t.slot.epoch();
        if (!hasRedo) {
            t.domain.drain();                       // fence: the data is durable
            t.slot.setControl(epoch + 1, false);    // commit point: the undo entries no longer validate
            end(false);
            return;
        }
        List<Allocator.Redo> redo = redoList(t);
        MemorySegment word = MemorySegment.ofArray(new byte[8]);
        for (Allocator.Redo op : redo) {
            word.set(LE_LONG_UNALIGNED_ARRAY, 0, op.value());
            if (!t.slot.append(op.kind(), op.target(), word)) {
                throw new HeapFullException("heap " + t.heap.path() + " has no room for the commit record of log slot "
                        + t.slot.index());
            }
        }
        t.domain.drain();                           // fence: data, undo and redo entries durable
        t.slot.setControl(epoch, true);             // commit point
        for (Allocator.Redo op : redo) {
            t.allocator.apply(op);
            t.domain.flush(op.target(), 8);
        }
        t.domain.drain();                           // fence: the allocator words are durable
        t.slot.setControl(epoch + 1, false);        // end: the redo entries no longer validate
        for (long freed : t.frees) {
            t.allocator.release(freed);
        }
        end(false);
    }

    private static List<Allocator.Redo> redoList(Shared t) {
        Map<Long, Long> setBits = new LinkedHashMap<>();
        List<Allocator.Redo> others = new ArrayList<>();
        for (long ref : t.reserved) {
            for (Allocator.Redo op : t.allocator.publishRedo(ref)) {
                if (op.kind() == LOG_SET_BITS) {
                    setBits.merge(op.target(), op.value(), (a, b) -> a | b);
                } else {
                    others.add(op);
                }
            }
        }
        List<Allocator.Redo> redo = new ArrayList<>();
        setBits.forEach((target, mask) -> redo.add(new Allocator.Redo(LOG_SET_BITS, target, mask)));
        redo.addAll(others);
        for (long ref : t.frees) {
            redo.addAll(List.of(t.allocator.freeRedo(ref))); // after the allocations: alloc + free = free
        }
        return redo;
    }

    private void rollbackAll() {
        Shared t = s;
        t.rolledBack = true;
        try {
            if (t.slot.entryCount() > 0) {
                List<LogSlot.Entry> entries = t.slot.readEntries();
                for (int i = entries.size() - 1; i >= 0; i--) {
                    LogSlot.Entry entry = entries.get(i);
                    if (entry.kind() == LOG_UNDO) {
                        t.domain.putBytes(entry.target(), t.slot.data(entry));
                        t.domain.flush(entry.target(), entry.length());
                    }
                }
                t.domain.drain();
                t.slot.setControl(t.slot.epoch() + 1, false);
            }
            for (long ref : t.reserved) {
                t.allocator.release(ref);
            }
            for (int i = t.rollbackActions.size() - 1; i >= 0; i--) {
                t.rollbackActions.get(i).run();
            }
        } finally {
            end(true);
        }
    }

    private void end(boolean rolledBack) {
        Shared t = s;
        t.ended = true;
        t.rolledBack = rolledBack;
        try {
            for (Runnable action : t.endActions) {
                action.run();
            }
            for (int i = t.locks.size() - 1; i >= 0; i--) {
                t.locks.get(i).unlock();
            }
        } finally {
            t.heap.endTransaction(t);
        }
    }

    private void checkOwner() {
        if (Thread.currentThread() != s.owner) {
            throw new WrongThreadException("transaction of thread " + s.owner.getName() + " used by thread "
                    + Thread.currentThread().getName());
        }
    }

    private void checkActive() {
        checkOwner();
        if (s.ended || finished) {
            throw new IllegalStateException(s.rolledBack ? "the transaction was rolled back" : "the transaction has ended");
        }
    }

    private static final java.lang.foreign.ValueLayout.OfLong LE_LONG_UNALIGNED_ARRAY =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
}
