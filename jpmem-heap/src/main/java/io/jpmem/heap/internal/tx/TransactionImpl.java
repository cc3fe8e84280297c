package io.jpmem.heap.internal.tx;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.log.LogSlot;
import io.jpmem.heap.internal.util.LongSet;
import io.jpmem.persist.FlushMechanism;
import io.jpmem.persist.Ranges;
import io.jpmem.persist.WalDomain;
import io.jpmem.persist.PersistenceDomain;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;

/** The implementation of {@link io.jpmem.heap.Transaction}. */
public final class TransactionImpl implements Transaction {

    /** State shared by all nesting levels of one transaction. */
    static final class Shared {
        final HeapState state;
        final TransactionManager manager;
        final TypeRegistry types;
        final PersistenceDomain domain;
        final MemorySegment view;
        final Allocator allocator;
        final LogSlot slot;
        final Thread owner;
        final boolean tracksLines;
        final LongSet logged = new LongSet();
        final LongSet dirtyLines = new LongSet();
        /** On a write-ahead-logged heap: the domain, and exactly what this transaction changed. */
        final WalDomain wal;
        final Ranges changed;
        /** Blocks reserved by this transaction: start -> end. */
        final TreeMap<Long, Long> newBlocks = new TreeMap<>();
        /** Blocks reserved since the latest savepoint: stores into them need no undo entry. */
        final TreeMap<Long, Long> unloggedBlocks = new TreeMap<>();
        final TreeMap<Long, Long> snapshots = new TreeMap<>();
        final List<Long> reserved = new ArrayList<>();
        final List<Long> frees = new ArrayList<>();
        final LongSet freed = new LongSet();
        final List<Lock> locks = new ArrayList<>();
        final List<Runnable> rollbackActions = new ArrayList<>();
        final List<Runnable> endActions = new ArrayList<>();
        /** A nested-level view handed to layers that join this transaction (roots, enhanced stores); made once. */
        TransactionImpl joined;
        int depth;
        boolean ended;
        boolean rolledBack;
        /** Held while a rollback undoes stores and runs its actions (the root table's lock), or null. */
        Object rollbackMonitor;
        /** The commit point is durable: from here on the transaction is committed, whatever follows. */
        boolean pastCommitPoint;
        /** An allocation or log growth did not fit: the transaction can only roll back (libpmemobj's rule). */
        boolean rollbackOnly;
        long lastNewStart = -1;
        long lastNewEnd = -1;
        /** Savepoints taken so far; a rollback to one invalidates the later ones. */
        long savepoints;
        long oldestValidSavepoint;

        Shared(HeapState state, TransactionManager manager, TypeRegistry types, LogSlot slot, Allocator allocator) {
            this.state = state;
            this.manager = manager;
            this.types = types;
            this.domain = state.domain();
            this.view = domain.view();
            this.allocator = allocator;
            this.slot = slot;
            this.owner = Thread.currentThread();
            this.wal = domain instanceof WalDomain w ? w : null;
            this.changed = wal == null ? null : new Ranges();
            this.tracksLines = domain.mechanism() != FlushMechanism.PAGE_CACHE && wal == null;
        }
    }

    /**
     * A savepoint: how far each of the transaction's lists had grown when it was taken. Rolling back
     * to it undoes, newest first, what was logged after it and drops what was reserved, freed and
     * registered after it; what came before stays.
     */
    public record Mark(Shared owner, int entries, int reserved, int frees, int rollbackActions, long serial)
            implements Savepoint {}

    private final Shared s;
    private final boolean outermost;
    private boolean finished;

    TransactionImpl(Shared shared, boolean outermost) {
        this.s = shared;
        this.outermost = outermost;
    }

    @Override
    public PersistentHeap heap() {
        return s.state.owner();
    }

    @Override
    public boolean isActive() {
        return !finished && !s.ended;
    }

    // ------------------------------------------------------------------ allocation

    @Override
    public long allocate(HeapType type) {
        if (type.layout().shape() != TypeLayout.Shape.RECORD) {
            throw new IllegalArgumentException(type.layout().className() + " is an array type: use allocateArray");
        }
        return allocate(type, type.layout().instanceByteSize());
    }

    @Override
    public long allocateArray(HeapType type, long length) {
        return allocate(type, arrayPayloadBytes(type, length));
    }

    private static long arrayPayloadBytes(HeapType type, long length) {
        if (type.layout().shape() != TypeLayout.Shape.ARRAY) {
            throw new IllegalArgumentException(type.layout().className() + " is not an array type");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative array length " + length);
        }
        return Math.multiplyExact(length, type.layout().elementKind().byteSize());
    }

    @Override
    public long allocate(HeapType type, long payloadBytes) {
        long ref = reserve(type, payloadBytes);
        if (payloadBytes > 0) {
            s.domain.fill(ref, payloadBytes, (byte) 0);
            dirtyRange(ref, payloadBytes);
        }
        return ref;
    }

    @Override
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
                if (s.wal != null) {
                    s.changed.add(ref, contents.length);
                }
            }
        }
        return ref;
    }

    /**
     * Reserves a block with the type's id in its header; its payload is what the block held before.
     * A block that does not fit makes the transaction rollback-only.
     */
    private long reserve(HeapType type, long payloadBytes) {
        long ref = reserveOrZero(type, payloadBytes);
        if (ref == 0) {
            s.rollbackOnly = true;
            throw new HeapFullException("heap " + s.state.path() + " has no room for a block of " + payloadBytes
                    + " bytes (" + type.layout().className() + ")"
                    + (s.allocator.fileSystemFull() ? ": the file system holding the heap file is full" : ""));
        }
        return ref;
    }

    /** As {@link #reserve}, but 0 if the block does not fit, and the transaction stays committable. */
    private long reserveOrZero(HeapType type, long payloadBytes) {
        checkActive();
        HeapType recorded = s.types.get(type.id());
        if (recorded.fingerprint() != type.fingerprint()) {
            throw new IllegalArgumentException("type " + type.layout().className() + " (id " + type.id()
                    + ") is not this heap's type " + type.id());
        }
        long ref = s.allocator.reserve(type.id(), payloadBytes, this::dirtyLine);
        if (ref == 0) {
            return 0;
        }
        s.reserved.add(ref);
        long end = ref + payloadBytes;
        s.newBlocks.put(ref, end);
        s.unloggedBlocks.put(ref, end);
        s.lastNewStart = ref;
        s.lastNewEnd = end;
        return ref;
    }

    @Override
    public long tryAllocateArray(HeapType type, long length) {
        long payloadBytes = arrayPayloadBytes(type, length);
        long ref = reserveOrZero(type, payloadBytes);
        if (ref != 0 && payloadBytes > 0) {
            s.domain.fill(ref, payloadBytes, (byte) 0);
            dirtyRange(ref, payloadBytes);
        }
        return ref;
    }

    @Override
    public void free(long ref) {
        checkActive();
        boolean newHere = s.newBlocks.containsKey(ref);
        if (!newHere && !s.allocator.isAllocated(ref)) {
            throw new IllegalArgumentException("reference " + ref + " is not an allocated block of heap " + s.state.path());
        }
        if (!s.freed.add(ref)) {
            throw new IllegalArgumentException("block " + ref + " is already freed in this transaction");
        }
        s.frees.add(ref);
    }

    // ------------------------------------------------------------------ logged stores

    @Override
    public void putByte(long offset, byte value) {
        before(s.state.checkStore(offset, 1), 1);
        s.domain.putByte(offset, value);
    }

    @Override
    public void putBoolean(long offset, boolean value) {
        putByte(offset, value ? (byte) 1 : 0);
    }

    @Override
    public void putShort(long offset, short value) {
        before(s.state.checkStore(offset, 2), 2);
        s.domain.putShort(offset, value);
    }

    @Override
    public void putChar(long offset, char value) {
        putShort(offset, (short) value);
    }

    @Override
    public void putInt(long offset, int value) {
        before(s.state.checkStore(offset, 4), 4);
        s.domain.putInt(offset, value);
    }

    @Override
    public void putFloat(long offset, float value) {
        putInt(offset, Float.floatToRawIntBits(value));
    }

    @Override
    public void putLong(long offset, long value) {
        before(s.state.checkStore(offset, 8), 8);
        s.domain.putLong(offset, value);
    }

    @Override
    public void putDouble(long offset, double value) {
        putLong(offset, Double.doubleToRawLongBits(value));
    }

    @Override
    public void putRef(long offset, long reference) {
        s.state.checkReference(reference);
        putLong(offset, reference);
    }

    @Override
    public void putBytes(long offset, byte[] source, int index, int length) {
        Objects.checkFromIndexSize(index, length, source.length);
        before(s.state.checkRangeStore(offset, length), length);
        s.domain.putBytes(offset, source, index, length);
    }

    @Override
    public void fill(long offset, long byteSize, byte value) {
        before(s.state.checkRangeStore(offset, byteSize), byteSize);
        s.domain.fill(offset, byteSize, value);
    }

    @Override
    public void snapshot(long offset, long byteSize) {
        s.state.checkRangeStore(offset, byteSize);
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

    /**
     * Runs {@code action} if the transaction rolls back (volatile bookkeeping of the layers above),
     * while holding {@code monitor} across the undo of the stores and the actions, so that readers
     * that take the same monitor never see the undone stores without the bookkeeping (or the reverse).
     * One monitor per transaction.
     */
    void onRollback(Object monitor, Runnable action) {
        checkActive();
        if (s.rollbackMonitor != null && s.rollbackMonitor != monitor) {
            throw new IllegalStateException("a transaction has one rollback monitor");
        }
        s.rollbackMonitor = monitor;
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
                s.rollbackOnly = true;
                throw new HeapFullException("heap " + s.state.path() + " has no room to grow transaction log slot "
                        + s.slot.index());
            }
        }
        if (s.wal == null) {
            s.domain.drain(); // the undo entry is durable before the store it protects
        }
    }

    private boolean isNew(long offset, long byteSize) {
        if (s.unloggedBlocks.isEmpty()) {
            return false;
        }
        if (offset >= s.lastNewStart && offset + byteSize <= s.lastNewEnd) {
            return true;
        }
        Map.Entry<Long, Long> block = s.unloggedBlocks.floorEntry(offset);
        if (block != null && offset + byteSize <= block.getValue()) {
            s.lastNewStart = block.getKey();
            s.lastNewEnd = block.getValue();
            return true;
        }
        return false;
    }

    /** The allocator wrote a block header (8 bytes) at {@code offset}. */
    private void dirtyLine(long offset) {
        if (s.tracksLines) {
            s.dirtyLines.add(offset >>> 6);
        } else if (s.wal != null) {
            s.changed.add(offset, BLOCK_HEADER_BYTES);
        }
    }

    private void dirtyRange(long offset, long byteSize) {
        if (s.wal != null) {
            s.changed.add(offset, byteSize);
        } else if (s.tracksLines) {
            for (long line = offset >>> 6; line <= (offset + byteSize - 1) >>> 6; line++) {
                s.dirtyLines.add(line);
            }
        }
    }

    // ------------------------------------------------------------------ locks

    @Override
    public void lock(Lock lock) {
        checkActive();
        lock.lock();
        s.locks.add(lock);
    }

    // ------------------------------------------------------------------ end

    @Override
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
        if (s.rollbackOnly) {
            rollbackAll();
            throw new HeapFullException("heap " + s.state.path() + ": the transaction was rolled back: an allocation"
                    + " or the growth of its log did not fit earlier in it");
        }
        try {
            commitOutermost();
        } catch (RuntimeException | Error e) {
            if (s.pastCommitPoint && !s.ended) {
                abandonAfterCommitPoint(e);
            } else if (!s.ended) {
                rollbackAll();
            }
            throw e;
        }
    }

    /**
     * A failure after the commit point (a flush that failed, an I/O error of the mapping): the
     * transaction is committed and must never be rolled back, but its finishing steps did not all
     * happen. The heap is failed (sticky, never closed cleanly), the slot stays out of the pool with
     * its committed mark, and the next open finishes the transaction from the log (replaying its redo
     * entries is idempotent).
     */
    private void abandonAfterCommitPoint(Throwable cause) {
        Shared t = s;
        t.ended = true;
        try {
            t.state.fail("a transaction failed after its commit point (" + cause + "); the next open finishes it"
                    + " from log slot " + t.slot.index());
            for (int i = t.locks.size() - 1; i >= 0; i--) {
                t.locks.get(i).unlock();
            }
        } finally {
            t.manager.endKeepingSlot(t);
        }
    }

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

    /**
     * Rolls the whole transaction back now, from any level (a failed operation that joined it):
     * the levels above then fail with {@link IllegalStateException}. Nothing if it has ended.
     */
    void rollbackWhole() {
        checkOwner();
        if (!s.ended) {
            rollbackAll();
        }
    }

    @Override
    public Savepoint savepoint() {
        checkActive();
        // From here on, the first store to any location is logged again, also into blocks and ranges
        // this transaction already covers: a rollback to here must restore their values as of now.
        s.logged.clear();
        s.snapshots.clear();
        s.unloggedBlocks.clear();
        s.lastNewStart = -1;
        s.lastNewEnd = -1;
        return new Mark(s, s.slot.entryCount(), s.reserved.size(), s.frees.size(), s.rollbackActions.size(),
                ++s.savepoints);
    }

    @Override
    public void rollbackTo(Savepoint savepoint) {
        checkActive();
        if (!(savepoint instanceof Mark mark) || mark.owner() != s || mark.serial() < s.oldestValidSavepoint
                || mark.serial() > s.savepoints) {
            throw new IllegalArgumentException("not a savepoint of this transaction, or one a rollback passed");
        }
        if (s.rollbackOnly) {
            throw new IllegalStateException("the transaction is rollback-only: roll it back whole");
        }
        s.oldestValidSavepoint = mark.serial(); // later savepoints are gone; this one can be used again
        s.savepoints = mark.serial();
        if (s.rollbackMonitor != null) {
            synchronized (s.rollbackMonitor) {
                undoTo(mark);
            }
        } else {
            undoTo(mark);
        }
    }

    private void undoTo(Mark mark) {
        Shared t = s;
        if (t.slot.entryCount() > mark.entries()) {
            List<LogSlot.Entry> entries = t.slot.readEntries();
            if (entries.size() != t.slot.entryCount()) {
                throw t.state.fail("log slot " + t.slot.index() + " holds " + entries.size() + " valid entries of the "
                        + t.slot.entryCount() + " this transaction wrote; it cannot be rolled back to a savepoint");
            }
            // The entries stay in the log: a later full rollback or a crash applies them too, and
            // they restore values older than the savepoint's, which older entries then overwrite.
            for (int i = entries.size() - 1; i >= mark.entries(); i--) {
                LogSlot.Entry entry = entries.get(i);
                if (entry.kind() == LOG_UNDO) {
                    t.domain.putBytes(entry.target(), t.slot.data(entry));
                    dirtyRange(entry.target(), entry.length());
                }
            }
        }
        for (int i = t.reserved.size() - 1; i >= mark.reserved(); i--) {
            long ref = t.reserved.remove(i);
            t.newBlocks.remove(ref);
            t.unloggedBlocks.remove(ref);
            t.allocator.release(ref);
        }
        t.lastNewStart = -1;
        t.lastNewEnd = -1;
        if (t.frees.size() > mark.frees()) {
            t.frees.subList(mark.frees(), t.frees.size()).clear();
            t.freed.clear();
            t.frees.forEach(t.freed::add);
        }
        for (int i = t.rollbackActions.size() - 1; i >= mark.rollbackActions(); i--) {
            t.rollbackActions.remove(i).run();
        }
    }

    private void commitOutermost() {
        if (s.wal != null) {
            commitToLog();
            return;
        }
        Shared t = s;
        boolean hasRedo = !t.reserved.isEmpty() || !t.frees.isEmpty();
        if (!t.slot.written() && !hasRedo && t.dirtyLines.isEmpty()) {
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
            t.pastCommitPoint = true;
            end(false);
            return;
        }
        List<Allocator.Redo> redo = redoList(t);
        MemorySegment word = MemorySegment.ofArray(new byte[8]);
        t.slot.beginCommitRecord(); // it may grow into the log reserve: a transaction that only frees can commit
        for (Allocator.Redo op : redo) {
            word.set(LE_LONG_UNALIGNED_ARRAY, 0, op.value());
            if (!t.slot.append(op.kind(), op.target(), word)) {
                throw new HeapFullException("heap " + t.state.path() + " has no room for the commit record of log slot "
                        + t.slot.index());
            }
        }
        t.domain.drain();                           // fence: data, undo and redo entries durable
        t.slot.setControl(epoch, true);             // commit point
        t.pastCommitPoint = true;
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

    /**
     * The commit on a write-ahead-logged heap: the allocator's redo is applied and the after-images of
     * everything the transaction changed are appended as one record, under the log's commit lock;
     * then the record's durability is awaited (one fdatasync shared by the group). The undo entries
     * never leave memory. The commit point is the append: from there on the transaction is committed
     * in memory, and a failure to make it durable fails the heap (the next open recovers the log, in
     * which the record is not).
     */
    private void commitToLog() {
        Shared t = s;
        boolean hasRedo = !t.reserved.isEmpty() || !t.frees.isEmpty();
        if (t.changed.isEmpty() && !hasRedo) {
            end(false);
            return;
        }
        List<Allocator.Redo> redo = hasRedo ? redoList(t) : List.of();
        long bytes = t.changed.normalize().totalBytes() + 8L * redo.size();
        if (bytes + 32L * (t.changed.size() + redo.size()) > t.wal.maxRecordBytes()) {
            throw new IllegalStateException("heap " + t.state.path() + ": a transaction changing " + bytes
                    + " bytes is larger than one write-ahead log record can hold (" + t.wal.maxRecordBytes()
                    + " bytes); split it");
        }
        t.wal.commit(t.changed, () -> {
            t.pastCommitPoint = true;
            for (Allocator.Redo op : redo) {
                t.allocator.apply(op);
                t.changed.add(op.target(), 8);
            }
        });
        t.slot.setControl(t.slot.epoch() + 1, false); // in memory: the undo entries no longer validate
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
        // The frees after the allocations (alloc + free = free); clear-bits merged per bitmap word as
        // set-bits are, so a transaction that frees many small blocks logs one entry per word, not per block.
        Map<Long, Long> clearBits = new LinkedHashMap<>();
        List<Allocator.Redo> freedRuns = new ArrayList<>();
        for (long ref : t.frees) {
            for (Allocator.Redo op : t.allocator.freeRedo(ref)) {
                if (op.kind() == LOG_CLEAR_BITS) {
                    clearBits.merge(op.target(), op.value(), (a, b) -> a | b);
                } else {
                    freedRuns.add(op);
                }
            }
        }
        clearBits.forEach((target, mask) -> redo.add(new Allocator.Redo(LOG_CLEAR_BITS, target, mask)));
        redo.addAll(freedRuns);
        return redo;
    }

    private void rollbackAll() {
        Shared t = s;
        t.rolledBack = true;
        try {
            if (t.rollbackMonitor != null) {
                synchronized (t.rollbackMonitor) { // undo and the volatile bookkeeping as one step for its readers
                    undoAndRelease(t);
                }
            } else {
                undoAndRelease(t);
            }
        } finally {
            end(true);
        }
    }

    private static void undoAndRelease(Shared t) {
        if (t.slot.written()) {
            List<LogSlot.Entry> entries = t.slot.readEntries();
            if (entries.size() != t.slot.entryCount()) {
                // A rollback that stopped at the first bad entry would leave older stores in place.
                throw t.state.fail("log slot " + t.slot.index() + " holds " + entries.size() + " valid entries of the "
                        + t.slot.entryCount() + " this transaction wrote; it cannot be rolled back");
            }
            for (int i = entries.size() - 1; i >= 0; i--) {
                LogSlot.Entry entry = entries.get(i);
                if (entry.kind() == LOG_UNDO) {
                    t.domain.putBytes(entry.target(), t.slot.data(entry));
                    if (t.wal == null) {
                        t.domain.flush(entry.target(), entry.length());
                    }
                }
            }
            if (t.wal == null) {
                t.domain.drain();
            }
            t.slot.setControl(t.slot.epoch() + 1, false);
        }
        for (long ref : t.reserved) {
            t.allocator.release(ref);
        }
        for (int i = t.rollbackActions.size() - 1; i >= 0; i--) {
            t.rollbackActions.get(i).run();
        }
    }

    private void end(boolean rolledBack) {
        Shared t = s;
        t.ended = true;
        t.rolledBack = rolledBack;
        try {
            t.slot.finish(); // the epoch has moved on: its log extensions go back to the free pool
            for (Runnable action : t.endActions) {
                action.run();
            }
            for (int i = t.locks.size() - 1; i >= 0; i--) {
                t.locks.get(i).unlock();
            }
        } finally {
            t.manager.end(t);
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
