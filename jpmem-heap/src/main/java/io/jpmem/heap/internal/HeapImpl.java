package io.jpmem.heap.internal;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.AccessMode;
import io.jpmem.heap.AllocationStats;
import io.jpmem.heap.HeapInfo;
import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapOpenException.Reason;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.RecoveryReport;
import io.jpmem.heap.Roots;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeTable;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.alloc.ChunkReserver;
import io.jpmem.heap.internal.format.FileReservation;
import io.jpmem.heap.internal.format.FileSpace;
import io.jpmem.heap.internal.format.HeaderSelection;
import io.jpmem.heap.internal.format.HeaderWriter;
import io.jpmem.heap.internal.format.HeapFiles;
import io.jpmem.heap.internal.format.HeapHeader;
import io.jpmem.heap.internal.format.TypeEntryCodec;
import io.jpmem.heap.internal.recovery.HeapChecker;
import io.jpmem.heap.internal.recovery.LogRecovery;
import io.jpmem.heap.internal.recovery.RecoveryGc;
import io.jpmem.heap.internal.tx.HeapState;
import io.jpmem.heap.internal.tx.RootTable;
import io.jpmem.heap.internal.tx.TransactionImpl;
import io.jpmem.heap.internal.tx.TransactionManager;
import io.jpmem.heap.internal.tx.TypeRegistry;
import io.jpmem.persist.Durability;
import io.jpmem.persist.FlushMechanism;
import io.jpmem.persist.PersistenceDomain;
import io.jpmem.persist.WalDomain;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one implementation of {@link PersistentHeap}: it ties the layers of one open heap together and
 * holds nothing that changes after open but the header copies ({@link HeaderWriter}) and the
 * heap's state ({@link HeapState}).
 *
 * <p>Open, in order (the constructor; {@link HeapOpener} maps and validates the file first):
 * read the type table, the allocator words and the root table; refuse a cleanly closed heap whose
 * structures are corrupt; run log recovery ({@link LogRecovery}) unless the heap was closed cleanly;
 * mark the header not cleanly shut down; run the recovery GC after an unclean shutdown if asked
 * ({@link RecoveryGc}); then the transaction manager and the roots are built on the recovered state.
 */
public final class HeapImpl implements PersistentHeap {

    private final Path path;
    private final AccessMode accessMode;
    private final HeapFiles.Mapped mapped;
    private final PersistenceDomain domain;
    private final MemorySegment view;
    private final HeapLayout layout;
    private final HeapState state;
    private final HeaderWriter header;
    private final boolean closedCleanly;
    private final List<String> notes;
    private final TypeRegistry types;
    private final Allocator allocator;
    private final TransactionManager transactions;
    private final RootTable roots;
    private final RecoveryReport recoveryReport;
    /** Reserves chunks' disk blocks (read-write opens); null for read-only and private opens. */
    private final FileReservation reservation;
    /** The write-ahead log of a heap on ordinary storage (a private mapping); null otherwise. */
    private final HeapLog log;

    /**
     * Opens the mapped file: validates its structures, recovers, and marks it in use.
     *
     * @param reservation reserves the disk blocks of chunks before they are used; null if the mapping needs none
     * @param heapLog the write-ahead log of a private mapping ({@link HeapFiles.Mapped#walMapping()}), not yet
     *     opened; null for any other mapping
     * @throws HeapOpenException if its structures are corrupt
     * @throws io.jpmem.heap.HeapCorruptedException if the recovery GC finds the heap corrupt
     */
    HeapImpl(Path path, AccessMode accessMode, HeapOptions options, HeapFiles.Mapped mapped,
             FileReservation reservation, HeapLog heapLog) {
        ChunkReserver reserver = reservation == null ? ChunkReserver.NONE : reservation::reserve;
        this.reservation = reservation;
        long recoveryStart = System.nanoTime();
        this.path = path;
        this.accessMode = accessMode;
        this.mapped = mapped;
        HeapHeader opened = mapped.selection().header();
        this.layout = opened.layout();
        this.notes = new ArrayList<>(mapped.selection().notes());
        if (heapLog != null) {
            this.log = heapLog;
            this.domain = new WalDomain(mapped.segment(), log, layout.logAreaOffset(),
                    layout.logAreaOffset() + (long) layout.logSlotCount() * layout.logSlotByteSize());
            this.header = new HeaderWriter(domain, mapped.selection(), mapped.channel());
            log.replay(opened); // nothing below reads the mapping before
        } else {
            this.log = null;
            this.domain = PersistenceDomain.of(accessMode == AccessMode.READ_WRITE ? options.durability()
                    : Durability.PROCESS, mapped.segment(), mapped.syncMapping());
            this.header = new HeaderWriter(domain, mapped.selection());
            if (accessMode == AccessMode.PRIVATE_COPY && opened.walLogged() && !opened.cleanShutdown()) {
                long records = HeapLog.replayPrivately(path, mapped.segment(), opened, layout);
                notes.add("replayed " + records + " write-ahead log records into the private copy");
            } else if (accessMode == AccessMode.READ_ONLY && opened.walLogged() && !opened.cleanShutdown()) {
                notes.add("not closed cleanly: its write-ahead log holds commits the file does not (open it"
                        + " read-write, or check it, to see them)");
            }
        }
        this.view = domain.view();
        this.state = new HeapState(this, path, accessMode, domain, layout.objectAreaOffset(), layout.objectAreaEnd());
        this.closedCleanly = opened.cleanShutdown();

        TypeEntryCodec.Decoded typeTable = TypeEntryCodec.decodeTable(
                view.asSlice(layout.typeTableOffset(), layout.typeTableByteSize()));
        long usedTypeBytes = view.get(LE_LONG, layout.typeTableOffset() + TT_USED_BYTES);
        this.types = new TypeRegistry(state, layout.typeTableOffset(), layout.typeTableByteSize(), typeTable.types(),
                usedTypeBytes);
        Allocator loaded = new Allocator(domain, layout, reserver);
        RootTable.Loaded rootTable = RootTable.load(view, layout.rootTableOffset(), layout.rootSlotCount(),
                state::isValidReference);
        List<String> problems = new ArrayList<>(typeTable.problems()); // type registration is never pending
        if (closedCleanly) {
            // No transaction can be pending: roots and chunk table must be sound as they are.
            problems.addAll(rootTable.problems());
            problems.addAll(loaded.chunkTableProblems());
        }
        if (!problems.isEmpty()) {
            throw new HeapOpenException(path, Reason.CORRUPT, String.join("; ", problems), null, problems);
        }
        if (!closedCleanly && accessMode == AccessMode.READ_ONLY) {
            // Recovery may be pending, and a read-only open cannot run it: report, do not judge.
            List<String> pending = new ArrayList<>(rootTable.problems());
            pending.addAll(loaded.chunkTableProblems());
            if (!pending.isEmpty()) {
                notes.add("not closed cleanly and not recovered (read-only): " + String.join("; ", pending));
            }
        }

        if (log != null) {
            log.beginWriting(header); // checked: from here on the heap may change
        }
        LogRecovery.Result recovered = LogRecovery.run(state, layout, loaded, rootTable, closedCleanly, reserver);
        this.allocator = recovered.allocator();
        this.transactions = new TransactionManager(state, allocator, types, recovered.slots());
        this.roots = new RootTable(state, transactions, allocator, layout.rootTableOffset(), layout.rootSlotCount(),
                recovered.rootSlots());
        if (state.writable()) {
            HeapHeader h = header.current();
            header.write(h.next(h.flags() & ~FLAG_CLEAN_SHUTDOWN, h.openCount() + 1, System.currentTimeMillis(),
                    h.lastCloseMillis()));
        }
        boolean runGc = state.writable() && !closedCleanly && options.recoveryGc();
        RecoveryGc.Result gc = runGc ? RecoveryGc.collect(state, allocator, types.all(), roots.snapshot())
                : RecoveryGc.Result.NOT_RUN;
        this.recoveryReport = new RecoveryReport(closedCleanly, recovered.rolledBack(), recovered.replayed(),
                recovered.undoEntries(), recovered.redoEntries(), runGc, gc.live(), gc.reclaimedBlocks(),
                gc.reclaimedBytes(), Duration.ofNanos(System.nanoTime() - recoveryStart));
        if (log != null) {
            log.start((WalDomain) domain, transactions, roots, types);
        }
    }

    /** {@return the write-ahead log of this heap, or null if it has none} (for diagnostics and the server's INFO) */
    public HeapLog log() {
        return log;
    }

    /** {@return the checks every layer of this heap makes} (for the heap's SPI) */
    public HeapState state() {
        return state;
    }

    /** {@return this heap's transactions} (for the heap's SPI) */
    public TransactionManager transactions() {
        return transactions;
    }

    /** {@return the persistence domain every store of this heap passes through} (for the heap's SPI) */
    public PersistenceDomain domain() {
        return domain;
    }

    /** {@return the mapping, released by close} */
    HeapFiles.Mapped mapped() {
        return mapped;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public AccessMode accessMode() {
        return accessMode;
    }

    @Override
    public Durability durability() {
        return domain.durability();
    }

    @Override
    public FlushMechanism flushMechanism() {
        return domain.mechanism();
    }

    @Override
    public boolean wasClosedCleanly() {
        return closedCleanly;
    }

    @Override
    public Roots roots() {
        state.checkUsable();
        return roots;
    }

    @Override
    public TypeTable types() {
        state.checkUsable();
        return types;
    }

    @Override
    public long objectAreaOffset() {
        return state.objectStart();
    }

    @Override
    public long objectAreaEnd() {
        return state.objectEnd();
    }

    @Override
    public long maxByteSize() {
        return layout.maxByteSize();
    }

    @Override
    public HeapLayout layout() {
        return layout;
    }

    @Override
    public synchronized HeapInfo info() {
        state.checkUsable();
        HeapHeader h = header.current();
        return new HeapInfo(path, h.heapId(), FORMAT_VERSION, accessMode, domain.durability(), domain.mechanism(),
                layout, FileSpace.bytesOnDisk(path), Instant.ofEpochMilli(h.createdMillis()), h.openCount(),
                h.lastCloseMillis() == 0 ? null : Instant.ofEpochMilli(h.lastCloseMillis()), closedCleanly,
                h.sequence(), HeaderSelection.copyName(header.currentCopy()), roots.snapshot(), types.all(),
                List.copyOf(notes), allocationStats());
    }

    @Override
    public List<String> check() {
        state.checkUsable();
        long begunBefore = transactions.begunCount();
        if (transactions.activeCount() > 0) {
            throw new IllegalStateException("heap " + path + " has " + transactions.activeCount()
                    + " transaction(s) in progress: check a quiescent heap");
        }
        List<String> problems = HeapChecker.problems(state, layout, allocator, types.all(), roots.snapshot());
        if (!problems.isEmpty()) {
            if (transactions.activeCount() > 0 || transactions.begunCount() != begunBefore) {
                // What a transaction in progress changes is not a problem of the heap: do not fail it.
                throw new IllegalStateException("heap " + path + ": transactions ran during the check; check a"
                        + " quiescent heap");
            }
            state.fail(String.join("; ", problems));
        }
        return problems;
    }

    @Override
    public synchronized void close() {
        if (state.closed()) {
            return;
        }
        transactions.closeGate(() -> {
            try {
                if (accessMode == AccessMode.READ_WRITE && state.usable()) {
                    long walSeq = 0;
                    if (log != null) {
                        log.stopBackground();
                        walSeq = log.checkpointForClose(); // the file holds every commit: the log is empty
                    }
                    HeapHeader h = header.current();
                    HeapHeader clean = h.next(h.flags() | FLAG_CLEAN_SHUTDOWN, h.openCount(), h.lastOpenMillis(),
                            System.currentTimeMillis());
                    header.write(log != null ? clean.withWalSeq(walSeq) : clean);
                }
            } finally {
                if (log != null) {
                    log.close();
                }
                state.markClosed();
                mapped.release();
                if (reservation != null) {
                    reservation.close();
                }
            }
        });
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public Transaction begin() {
        return transactions.begin();
    }

    @Override
    public void transaction(Consumer<Transaction> body) {
        try (Transaction tx = begin()) {
            body.accept(tx);
            tx.commit();
        }
    }

    @Override
    public <T> T transactionResult(Function<Transaction, T> body) {
        try (Transaction tx = begin()) {
            T result = body.apply(tx);
            tx.commit();
            return result;
        }
    }

    @Override
    public Optional<Transaction> currentTransaction() {
        return Optional.ofNullable(transactions.currentOrNull());
    }

    /** {@return the transaction in progress on this thread, as a joined view, or null} */
    public TransactionImpl currentTransactionOrNull() {
        return transactions.currentOrNull();
    }

    @Override
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    @Override
    public synchronized RecoveryReport collectGarbage() {
        state.checkWritable();
        if (transactions.activeCount() > 0) {
            throw new IllegalStateException("cannot collect while transactions are in progress");
        }
        long start = System.nanoTime();
        RecoveryGc.Result gc = RecoveryGc.collect(state, allocator, types.all(), roots.snapshot());
        return new RecoveryReport(closedCleanly, 0, 0, 0, 0, true, gc.live(), gc.reclaimedBlocks(),
                gc.reclaimedBytes(), Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public AllocationStats allocationStats() {
        state.checkUsable();
        Allocator.Stats s = allocator.stats();
        return new AllocationStats(s.objectAreaBytes(), s.freeChunkBytes(), s.slabBytes(), s.largeBytes(), s.logBytes(),
                s.allocatedBlocks(), s.allocatedSlotBytes(), s.freeSlotBytes());
    }

    @Override
    public boolean isAllocated(long reference) {
        state.checkUsable();
        return allocator.isAllocated(reference);
    }

    @Override
    public int blockTypeId(long reference) {
        requireBlock(reference);
        return view.get(LE_INT, reference + BH_TYPE_ID);
    }

    @Override
    public long blockByteSize(long reference) {
        requireBlock(reference);
        return Integer.toUnsignedLong(view.get(LE_INT, reference + BH_PAYLOAD_BYTES));
    }

    /**
     * {@return the type id in the header of the block at {@code reference}}, without checking that
     * the block is allocated: for references read from a reference slot of this heap, which the
     * transaction protocol and the recovery GC keep pointing at allocated blocks.
     *
     * @throws IndexOutOfBoundsException if the header lies outside the object area
     */
    public int typeIdOfReference(long reference) {
        return view.get(LE_INT, state.checkRange(reference + BH_TYPE_ID, 8));
    }

    /** {@return the payload size of the block at {@code reference}} Unchecked like {@link #typeIdOfReference}. */
    public long byteSizeOfReference(long reference) {
        return Integer.toUnsignedLong(view.get(LE_INT, state.checkRange(reference + BH_TYPE_ID, 8) + 4));
    }

    private void requireBlock(long reference) {
        state.checkUsable();
        if (!allocator.isAllocated(reference) && !transactions.allocatedByCurrent(reference)) {
            throw new IllegalArgumentException("reference " + reference + " is not an allocated block of heap " + path);
        }
    }

    @Override
    public long unreachableBlocks() {
        state.checkUsable();
        return RecoveryGc.countUnreachable(state, allocator, types.all(), roots.snapshot());
    }

    // ---------------------------------------------------------------- raw access

    @Override
    public byte getByte(long offset) {
        return view.get(ValueLayout.JAVA_BYTE, state.checkAccess(offset, 1));
    }

    @Override
    public boolean getBoolean(long offset) {
        return getByte(offset) != 0;
    }

    @Override
    public short getShort(long offset) {
        return view.get(LE_SHORT, state.checkAccess(offset, 2));
    }

    @Override
    public char getChar(long offset) {
        return (char) getShort(offset);
    }

    @Override
    public int getInt(long offset) {
        return view.get(LE_INT, state.checkAccess(offset, 4));
    }

    @Override
    public float getFloat(long offset) {
        return Float.intBitsToFloat(getInt(offset));
    }

    @Override
    public long getLong(long offset) {
        return view.get(LE_LONG, state.checkAccess(offset, 8));
    }

    @Override
    public double getDouble(long offset) {
        return Double.longBitsToDouble(getLong(offset));
    }

    @Override
    public long getRef(long offset) {
        return getLong(offset);
    }

    @Override
    public void getBytes(long offset, byte[] target, int index, int length) {
        Objects.checkFromIndexSize(index, length, target.length);
        MemorySegment.copy(view, ValueLayout.JAVA_BYTE, state.checkRange(offset, length), target, index, length);
    }

    @Override
    public void putByte(long offset, byte value) {
        rawStore();
        domain.putByte(state.checkStore(offset, 1), value);
    }

    @Override
    public void putBoolean(long offset, boolean value) {
        putByte(offset, value ? (byte) 1 : 0);
    }

    @Override
    public void putShort(long offset, short value) {
        rawStore();
        domain.putShort(state.checkStore(offset, 2), value);
    }

    @Override
    public void putChar(long offset, char value) {
        putShort(offset, (short) value);
    }

    @Override
    public void putInt(long offset, int value) {
        rawStore();
        domain.putInt(state.checkStore(offset, 4), value);
    }

    @Override
    public void putFloat(long offset, float value) {
        putInt(offset, Float.floatToRawIntBits(value));
    }

    @Override
    public void putLong(long offset, long value) {
        rawStore();
        domain.putLong(state.checkStore(offset, 8), value);
    }

    @Override
    public void putDouble(long offset, double value) {
        putLong(offset, Double.doubleToRawLongBits(value));
    }

    @Override
    public void putRef(long offset, long reference) {
        state.checkReference(reference);
        putLong(offset, reference);
    }

    @Override
    public void putBytes(long offset, byte[] source, int index, int length) {
        Objects.checkFromIndexSize(index, length, source.length);
        rawStore();
        domain.putBytes(state.checkRangeStore(offset, length), source, index, length);
    }

    @Override
    public void fill(long offset, long byteSize, byte value) {
        rawStore();
        domain.fill(state.checkRangeStore(offset, byteSize), byteSize, value);
    }

    private void rawStore() {
        if (log != null) {
            log.noteRawStore();
        }
    }

    @Override
    public void flush(long offset, long byteSize) {
        domain.flush(state.checkRangeStore(offset, byteSize), byteSize);
    }

    @Override
    public void drain() {
        state.checkUsable();
        domain.drain();
    }

    @Override
    public void persist(long offset, long byteSize) {
        domain.persist(state.checkRangeStore(offset, byteSize), byteSize);
    }

    @Override
    public boolean isValidReference(long reference) {
        return state.isValidReference(reference);
    }
}
