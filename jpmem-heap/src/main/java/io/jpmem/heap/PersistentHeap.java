package io.jpmem.heap;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapOpenException.Reason;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.format.FileSpace;
import io.jpmem.heap.internal.format.HeaderSelection;
import io.jpmem.heap.internal.format.HeapFiles;
import io.jpmem.heap.internal.format.HeapHeader;
import io.jpmem.heap.internal.format.TypeEntryCodec;
import io.jpmem.heap.internal.log.LogSlot;
import io.jpmem.heap.internal.recovery.HeapWalker;
import io.jpmem.persist.Durability;
import io.jpmem.persist.FlushMechanism;
import io.jpmem.persist.PersistenceDomain;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A persistent heap: a memory-mapped file holding typed blocks, named roots and a type table, that
 * a later run (or the same run after a crash) finds again as it was.
 *
 * <pre>{@code
 * try (PersistentHeap heap = PersistentHeap.openOrCreate(Path.of("data/app.heap"), HeapOptions.defaults())) {
 *     HeapType counter = heap.types().register(
 *             TypeLayout.ofRecord("app.Counter", 8, FieldLayout.of("value", FieldKind.LONG, 0)));
 *     long c = heap.roots().get("counter").orElseGet(() -> heap.transactionResult(tx -> {
 *         long block = tx.allocate(counter);
 *         heap.roots().create("counter", block);
 *         return block;
 *     }));
 *     heap.transaction(tx -> tx.putLong(c, heap.getLong(c) + 1)); // durable and atomic
 * }
 * }</pre>
 *
 * <h2>Durability</h2>
 * A {@link Transaction} is atomic and durable when it commits. A raw store ({@code put*}, not
 * logged) is visible at once and durable after {@link #persist} of a range that
 * covers it (or {@link #flush} then {@link #drain}). In {@link Durability#PROCESS} mode a persisted
 * store survives the death of the JVM; in {@link Durability#POWER} mode it survives power loss.
 * Root and type table updates are atomic and durable when their call returns. {@link #close} marks
 * the heap as cleanly shut down; it does not flush stores the program did not persist.
 *
 * <h2>Bounds</h2>
 * Raw access is confined to the object area, {@code [objectAreaOffset(), objectAreaEnd())}: an
 * offset outside it throws {@link IndexOutOfBoundsException}, never touches memory, and never
 * crashes the JVM. Multi-byte values are little-endian and must be naturally aligned (a misaligned
 * offset throws {@link IllegalArgumentException}), so that every store of up to 8 bytes is a single
 * store that a crash cannot tear.
 *
 * <h2>Threads and failure</h2>
 * All methods are thread-safe; stores have no isolation: concurrent transactions must touch
 * disjoint data or hold locks ({@link Transaction#lock}).
 * After {@link #close}, every method throws {@link IllegalStateException}. Once the heap has found
 * itself corrupt, every method throws {@link HeapCorruptedException} with the first message, and
 * close leaves the file marked as not cleanly shut down.
 */
public final class PersistentHeap implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jpmem.heap");

    /** {@link #problem} when closed. */
    private static final Object CLOSED = new Object();

    private final Path path;
    private final AccessMode accessMode;
    private final HeapFiles.Mapped mapped;
    private final PersistenceDomain domain;
    private final MemorySegment view;
    private final HeapLayout layout;
    private final long objectStart;
    private final long objectEnd;
    private final boolean writable;
    private final boolean closedCleanly;
    private final List<String> notes;
    private final TypeTable types;
    /** Rebuilt by recovery; final once open returns. */
    private Roots roots;
    private Allocator allocator;
    private final BlockingQueue<LogSlot> freeLogSlots;
    private final ThreadLocal<Transaction.Shared> currentTransaction = new ThreadLocal<>();
    private final AtomicInteger activeTransactions = new AtomicInteger();
    private RecoveryReport recoveryReport;
    private HeapHeader header;
    private int headerCopy;
    /** null while usable; {@link #CLOSED}, or the first {@link HeapCorruptedException}. */
    private volatile Object problem;

    private PersistentHeap(Path path, AccessMode accessMode, Durability durability, HeapFiles.Mapped mapped) {
        this.path = path;
        this.accessMode = accessMode;
        this.mapped = mapped;
        this.header = mapped.selection().header();
        this.headerCopy = mapped.selection().copyIndex();
        this.layout = header.layout();
        this.domain = PersistenceDomain.of(accessMode == AccessMode.READ_WRITE ? durability : Durability.PROCESS,
                mapped.segment(), mapped.syncMapping());
        this.view = domain.view();
        this.objectStart = layout.objectAreaOffset();
        this.objectEnd = layout.objectAreaEnd();
        this.writable = accessMode != AccessMode.READ_ONLY;
        this.closedCleanly = header.cleanShutdown();
        this.notes = new ArrayList<>(mapped.selection().notes());

        TypeEntryCodec.Decoded typeTable = TypeEntryCodec.decodeTable(
                view.asSlice(layout.typeTableOffset(), layout.typeTableByteSize()));
        long usedTypeBytes = view.get(LE_LONG, layout.typeTableOffset() + TT_USED_BYTES);
        this.types = new TypeTable(this, domain, layout.typeTableOffset(), layout.typeTableByteSize(),
                typeTable.types(), usedTypeBytes);
        this.allocator = new Allocator(domain, layout);
        Roots.Loaded rootTable = Roots.load(view, layout.rootTableOffset(), layout.rootSlotCount(), this::isValidReference);
        this.roots = new Roots(this, domain, layout.rootTableOffset(), layout.rootSlotCount(), rootTable.slots());
        List<String> problems = new ArrayList<>(typeTable.problems()); // type registration is never pending
        if (closedCleanly) {
            // No transaction can be pending: roots and chunk table must be sound as they are.
            problems.addAll(rootTable.problems());
            problems.addAll(allocator.chunkTableProblems());
        }
        if (!problems.isEmpty()) {
            throw new HeapOpenException(path, Reason.CORRUPT, String.join("; ", problems), null, problems);
        }
        if (!closedCleanly && accessMode == AccessMode.READ_ONLY) {
            // Recovery may be pending, and a read-only open cannot run it: report, do not judge.
            List<String> pending = new ArrayList<>(rootTable.problems());
            pending.addAll(allocator.chunkTableProblems());
            if (!pending.isEmpty()) {
                notes.add("not closed cleanly and not recovered (read-only): " + String.join("; ", pending));
            }
        }
        this.freeLogSlots = new ArrayBlockingQueue<>(layout.logSlotCount());
    }

    /** What log recovery found, kept for the report. */
    private int rolledBack;
    private int replayed;
    private int undoEntries;
    private int redoEntries;
    private long recoveryStart;

    /**
     * Log recovery (read-write and private-copy opens of a heap not closed cleanly): finish or roll
     * back what each log slot left, then check roots and chunk table as recovery left them.
     *
     * @throws HeapOpenException if they are corrupt
     */
    private void recoverLogs() {
        recoveryStart = System.nanoTime();
        if (!writable) {
            return;
        }
        if (!closedCleanly) {
            boolean anyActive = false;
            for (int i = 0; i < layout.logSlotCount(); i++) {
                LogSlot.Recovered recovered = new LogSlot(i, domain, layout, allocator).recover();
                if (recovered.wasActive()) {
                    anyActive = true;
                    if (recovered.committed()) {
                        replayed++;
                    } else {
                        rolledBack++;
                    }
                    undoEntries += recovered.undone();
                    redoEntries += recovered.redone();
                }
            }
            // Read roots and allocator words again as recovery left them (unchanged if no slot was
            // active: the allocator read at construction stands), and judge them now.
            if (anyActive) {
                allocator = new Allocator(domain, layout);
            }
            Roots.Loaded rootTable = Roots.load(view, layout.rootTableOffset(), layout.rootSlotCount(),
                    this::isValidReference);
            List<String> problems = new ArrayList<>(rootTable.problems());
            problems.addAll(allocator.chunkTableProblems());
            if (!problems.isEmpty()) {
                throw new HeapOpenException(path, Reason.CORRUPT, String.join("; ", problems), null, problems);
            }
            roots = new Roots(this, domain, layout.rootTableOffset(), layout.rootSlotCount(), rootTable.slots());
        }
        for (int i = 0; i < layout.logSlotCount(); i++) {
            freeLogSlots.add(new LogSlot(i, domain, layout, allocator));
        }
    }

    /** After an unclean shutdown, runs the recovery GC unless it is turned off; then builds the report. */
    private void finishRecovery(HeapOptions options) {
        boolean runGc = writable && !closedCleanly && options.recoveryGc();
        GcResult gc = runGc ? collect() : new GcResult(0, 0, 0);
        recoveryReport = new RecoveryReport(closedCleanly, rolledBack, replayed, undoEntries, redoEntries, runGc,
                gc.live(), gc.reclaimedBlocks(), gc.reclaimedBytes(), Duration.ofNanos(System.nanoTime() - recoveryStart));
    }

    private record GcResult(long live, long reclaimedBlocks, long reclaimedBytes) {}

    private GcResult collect() {
        HeapWalker.Marked marked = HeapWalker.mark(view, allocator, types.all(), roots.snapshot());
        if (!marked.problems().isEmpty()) {
            throw fail("the recovery GC found " + String.join("; ", marked.problems()));
        }
        List<Long> garbage = new ArrayList<>();
        allocator.forEachAllocated(ref -> {
            if (!marked.marked().contains(ref)) {
                garbage.add(ref);
            }
        });
        long bytes = 0;
        for (long ref : garbage) {
            bytes += allocator.occupiedBytes(ref);
            allocator.freeNow(ref);
        }
        return new GcResult(marked.marked().size(), garbage.size(), bytes);
    }

    // ---------------------------------------------------------------- opening

    /**
     * Creates a new heap file and opens it read-write.
     *
     * @param path where to create it; missing parent directories are created
     * @param options durability and sizes
     * @return the open heap
     * @throws HeapOpenException with {@link Reason#ALREADY_EXISTS} if the path exists, or
     *     {@link Reason#IO_ERROR}
     * @throws IllegalArgumentException if the sizes in {@code options} do not fit together
     */
    public static PersistentHeap create(Path path, HeapOptions options) {
        Path absolute = path.toAbsolutePath();
        HeapFiles.create(absolute, options);
        return open(absolute, AccessMode.READ_WRITE, options);
    }

    /**
     * Opens an existing heap read-write with {@link Durability#POWER}.
     *
     * @throws HeapOpenException if the file is missing, not a heap, truncated, of a newer format,
     *     fails its checksum, is corrupt or is open elsewhere; the file is then left unchanged
     */
    public static PersistentHeap open(Path path) {
        return open(path, AccessMode.READ_WRITE, Durability.POWER);
    }

    /**
     * Opens an existing heap read-write.
     *
     * @param durability the durability mode for this run (it is not recorded in the file)
     * @throws HeapOpenException as for {@link #open(Path)}
     */
    public static PersistentHeap open(Path path, Durability durability) {
        return open(path, AccessMode.READ_WRITE, durability);
    }

    /**
     * Opens a heap, creating it with {@code options} if there is no file at {@code path}.
     *
     * @throws HeapOpenException as for {@link #open(Path)} and {@link #create}
     */
    public static PersistentHeap openOrCreate(Path path, HeapOptions options) {
        Path absolute = path.toAbsolutePath();
        if (!absolute.toFile().exists()) {
            try {
                return create(absolute, options);
            } catch (HeapOpenException e) {
                if (e.reason() != Reason.ALREADY_EXISTS) {
                    throw e; // another process created it first: open theirs
                }
            }
        }
        return open(absolute, AccessMode.READ_WRITE, options);
    }

    /**
     * Opens an existing heap read-write with the durability and recovery settings of {@code options}.
     *
     * @throws HeapOpenException as for {@link #open(Path)}
     */
    public static PersistentHeap open(Path path, HeapOptions options) {
        return open(path, AccessMode.READ_WRITE, options);
    }

    /**
     * Opens a heap read-only under a shared lock; nothing is ever written to the file.
     *
     * @throws HeapOpenException as for {@link #open(Path)}; {@link Reason#LOCKED} if it is open read-write
     */
    public static PersistentHeap openReadOnly(Path path) {
        return open(path, AccessMode.READ_ONLY, Durability.PROCESS);
    }

    /**
     * Opens a heap in a given access mode.
     *
     * @throws HeapOpenException as for {@link #open(Path)}
     */
    public static PersistentHeap open(Path path, AccessMode accessMode, Durability durability) {
        return open(path, accessMode, HeapOptions.defaults().withDurability(durability));
    }

    /**
     * Opens a heap in a given access mode with the durability and recovery settings of {@code options}
     * (its sizes are used only by create).
     *
     * @throws HeapOpenException as for {@link #open(Path)}
     * @throws HeapCorruptedException if recovery finds the heap corrupt
     */
    public static PersistentHeap open(Path path, AccessMode accessMode, HeapOptions options) {
        Objects.requireNonNull(accessMode, "accessMode");
        Objects.requireNonNull(options, "options");
        Path absolute = path.toAbsolutePath();
        HeapFiles.Mapped mapped = HeapFiles.open(absolute, accessMode, options.durability());
        PersistentHeap heap;
        try {
            heap = new PersistentHeap(absolute, accessMode, options.durability(), mapped);
            heap.recoverLogs();
            if (heap.writable) {
                HeapHeader h = heap.header;
                heap.writeHeader(h.next(h.flags() & ~FLAG_CLEAN_SHUTDOWN, h.openCount() + 1,
                        System.currentTimeMillis(), h.lastCloseMillis()));
            }
            heap.finishRecovery(options);
        } catch (RuntimeException | Error e) {
            mapped.release();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, () -> "jpmem: opened heap " + absolute + " " + accessMode
                + ", durability " + heap.domain.durability() + " (" + heap.domain.mechanism().label() + "), max "
                + layoutSummary(heap.layout) + ", " + (heap.closedCleanly ? "closed cleanly" : "NOT closed cleanly")
                + " last time, " + heap.roots.size() + " roots, " + heap.types.all().size() + " types"
                + (heap.writable ? "; " + heap.recoveryReport.summary() : ""));
        return heap;
    }

    private static String layoutSummary(HeapLayout layout) {
        return formatBytes(layout.maxByteSize()) + " (" + layout.chunkCount() + " chunks of "
                + formatBytes(layout.chunkByteSize()) + ")";
    }

    /** {@return bytes in the largest binary unit that keeps them whole or to one decimal, e.g. "64 MiB"} */
    public static String formatBytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value) ? String.format("%d %s", (long) value, units[unit])
                : String.format("%.1f %s", value, units[unit]);
    }

    // ---------------------------------------------------------------- the heap

    /** {@return the heap file's absolute path} */
    public Path path() {
        return path;
    }

    /** {@return how the heap is open} */
    public AccessMode accessMode() {
        return accessMode;
    }

    /** {@return the durability mode in effect} */
    public Durability durability() {
        return domain.durability();
    }

    /** {@return how flushes are carried out in this run} */
    public FlushMechanism flushMechanism() {
        return domain.mechanism();
    }

    /**
     * {@return the persistence domain every store of this heap passes through} Tests use it to
     * reach the {@link io.jpmem.persist.SimulatedDomain}; the lower layers to store without
     * the object-area bounds of the raw accessors.
     */
    public PersistenceDomain domain() {
        return domain;
    }

    /** {@return whether the heap had been closed cleanly before this open} */
    public boolean wasClosedCleanly() {
        return closedCleanly;
    }

    /** {@return the named roots} */
    public Roots roots() {
        checkUsable();
        return roots;
    }

    /** {@return the type table} */
    public TypeTable types() {
        checkUsable();
        return types;
    }

    /** {@return the first offset of the object area} */
    public long objectAreaOffset() {
        return objectStart;
    }

    /** {@return the end (exclusive) of the object area} */
    public long objectAreaEnd() {
        return objectEnd;
    }

    /** {@return the maximum size of the heap, fixed at create (the file's length)} */
    public long maxByteSize() {
        return layout.maxByteSize();
    }

    /** {@return the heap's layout, as recorded in its header} */
    public HeapLayout layout() {
        return layout;
    }

    /**
     * {@return a snapshot of the header, sizes, mode, roots and types}
     *
     * @throws IllegalStateException if closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    public synchronized HeapInfo info() {
        checkUsable();
        HeapHeader h = header;
        return new HeapInfo(path, h.heapId(), FORMAT_VERSION, accessMode, domain.durability(), domain.mechanism(),
                layout, FileSpace.bytesOnDisk(path), Instant.ofEpochMilli(h.createdMillis()), h.openCount(),
                h.lastCloseMillis() == 0 ? null : Instant.ofEpochMilli(h.lastCloseMillis()), closedCleanly,
                h.sequence(), HeaderSelection.copyName(headerCopy), roots.snapshot(), types.all(), List.copyOf(notes),
                allocationStats());
    }

    /**
     * Checks the heap's structures in memory: type table entries, root slots, the chunk table,
     * every allocated block's header, and every reference reachable from the roots. Meant for a
     * quiescent heap (no transaction in progress); it reads every slab bitmap and walks the graph.
     *
     * @return the problems found, empty when consistent; if there are any, the heap is failed
     * @throws IllegalStateException if closed
     */
    public List<String> check() {
        checkUsable();
        TypeEntryCodec.Decoded typeTable = TypeEntryCodec.decodeTable(
                view.asSlice(layout.typeTableOffset(), layout.typeTableByteSize()));
        Roots.Loaded rootTable = Roots.load(view, layout.rootTableOffset(), layout.rootSlotCount(), this::isValidReference);
        List<String> problems = new ArrayList<>(typeTable.problems());
        problems.addAll(rootTable.problems());
        if (typeTable.types().size() != types.all().size()) {
            problems.add("type table holds " + typeTable.types().size() + " types, " + types.all().size() + " were registered");
        }
        if (!rootTable.values().equals(roots.snapshot())) {
            problems.add("root table differs from the roots this heap published");
        }
        problems.addAll(allocator.chunkTableProblems());
        if (problems.isEmpty()) {
            List<HeapType> known = types.all();
            allocator.forEachAllocated(ref -> {
                int typeId = view.get(LE_INT, ref + BH_TYPE_ID);
                if (typeId < 1 || typeId > known.size()) {
                    problems.add("allocated block " + ref + " has unknown type id " + typeId);
                    return;
                }
                String headerProblem = HeapWalker.headerProblem(allocator, ref, known.get(typeId - 1).layout(),
                        Integer.toUnsignedLong(view.get(LE_INT, ref + BH_PAYLOAD_BYTES)));
                if (headerProblem != null) {
                    problems.add(headerProblem);
                }
            });
            problems.addAll(HeapWalker.mark(view, allocator, known, roots.snapshot()).problems());
        }
        if (!problems.isEmpty()) {
            fail(String.join("; ", problems));
        }
        return List.copyOf(problems);
    }

    /**
     * Closes the heap: marks it cleanly shut down (read-write only), unmaps it and releases the lock.
     * Idempotent. Stores that were not persisted are not flushed by close.
     *
     * @throws IllegalStateException if another thread is inside a native call on the mapping
     */
    @Override
    public synchronized void close() {
        Object state = problem;
        if (state == CLOSED) {
            return;
        }
        if (activeTransactions.get() > 0) {
            throw new IllegalStateException("heap " + path + " has " + activeTransactions.get()
                    + " transaction(s) in progress; end them before closing");
        }
        try {
            if (accessMode == AccessMode.READ_WRITE && state == null) {
                HeapHeader h = header;
                writeHeader(h.next(h.flags() | FLAG_CLEAN_SHUTDOWN, h.openCount(), h.lastOpenMillis(),
                        System.currentTimeMillis()));
            }
        } finally {
            problem = CLOSED;
            mapped.release();
        }
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Begins a transaction on this thread, or joins the one in progress (flat nesting).
     *
     * @return the transaction; commit it, then close it (try-with-resources)
     * @throws IllegalStateException if the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    public Transaction begin() {
        checkWritable();
        Transaction.Shared current = currentTransaction.get();
        if (current != null && !current.ended) {
            current.depth++;
            return new Transaction(current, false);
        }
        LogSlot slot;
        try {
            slot = freeLogSlots.take(); // waits while every slot is in use
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a transaction log slot", e);
        }
        slot.begin();
        Transaction.Shared shared = new Transaction.Shared(this, slot, allocator);
        shared.depth = 1;
        currentTransaction.set(shared);
        TRANSACTIONS_ON_THREAD.get().add(shared);
        activeTransactions.incrementAndGet();
        return new Transaction(shared, true);
    }

    /**
     * Runs {@code body} in a transaction (joining one in progress) and commits it. An exception
     * from {@code body} rolls the transaction back and is rethrown.
     *
     * @throws HeapFullException if an allocation did not fit (the transaction was rolled back)
     */
    public void transaction(Consumer<Transaction> body) {
        try (Transaction tx = begin()) {
            body.accept(tx);
            tx.commit();
        }
    }

    /**
     * Like {@link #transaction(Consumer)}, returning what {@code body} returns.
     */
    public <T> T transactionResult(Function<Transaction, T> body) {
        try (Transaction tx = begin()) {
            T result = body.apply(tx);
            tx.commit();
            return result;
        }
    }

    /** Transactions in progress on this thread, on any heap (a thread may hold one per heap). */
    private static final ThreadLocal<List<Transaction.Shared>> TRANSACTIONS_ON_THREAD =
            ThreadLocal.withInitial(ArrayList::new);

    /**
     * {@return the transaction in progress on this thread on this heap, if any, as a view that joins
     * it} Stores and allocations through it belong to that transaction; {@code commit} and
     * {@code close} on the view do nothing: the level that began the transaction decides.
     */
    public java.util.Optional<Transaction> currentTransaction() {
        return java.util.Optional.ofNullable(currentTransactionOrNull());
    }

    /**
     * {@return the heaps with a transaction in progress on the calling thread} Layers above use it to
     * decide where {@code new} of a persistent class allocates.
     */
    public static List<PersistentHeap> heapsInTransactionOnThisThread() {
        List<PersistentHeap> heaps = new ArrayList<>();
        for (Transaction.Shared shared : TRANSACTIONS_ON_THREAD.get()) {
            heaps.add(shared.heap);
        }
        return heaps;
    }

    /** {@return the transaction in progress on this thread, as a nested level, or null} */
    Transaction currentTransactionOrNull() {
        Transaction.Shared current = currentTransaction.get();
        if (current == null || current.ended) {
            return null;
        }
        if (current.joined == null) {
            current.joined = new Transaction(current, false); // never committed or closed by its users
        }
        return current.joined;
    }

    void endTransaction(Transaction.Shared shared) {
        currentTransaction.remove();
        TRANSACTIONS_ON_THREAD.get().remove(shared);
        activeTransactions.decrementAndGet();
        freeLogSlots.add(shared.slot);
    }

    /** {@return what recovery did when this heap was opened} */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /**
     * Runs the recovery GC now: frees every block not reachable from the roots.
     * Only safe when no thread holds a reference it has not linked yet: {@code jpmem gc} runs it on a
     * heap it just opened.
     *
     * @return what it found and freed
     * @throws IllegalStateException if a transaction is in progress, or the heap is read-only or closed
     * @throws HeapCorruptedException if a reachable reference is not an allocated block
     */
    public synchronized RecoveryReport collectGarbage() {
        checkWritable();
        if (activeTransactions.get() > 0) {
            throw new IllegalStateException("cannot collect while transactions are in progress");
        }
        long start = System.nanoTime();
        GcResult gc = collect();
        return new RecoveryReport(closedCleanly, 0, 0, 0, 0, true, gc.live(), gc.reclaimedBlocks(),
                gc.reclaimedBytes(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** {@return capacity and fragmentation figures (reads every slab's bitmap)} */
    public AllocationStats allocationStats() {
        checkUsable();
        Allocator.Stats s = allocator.stats();
        return new AllocationStats(s.objectAreaBytes(), s.freeChunkBytes(), s.slabBytes(), s.largeBytes(), s.logBytes(),
                s.allocatedBlocks(), s.allocatedSlotBytes(), s.freeSlotBytes());
    }

    /** {@return whether {@code reference} is a published block of this heap} */
    public boolean isAllocated(long reference) {
        checkUsable();
        return allocator.isAllocated(reference);
    }

    /**
     * {@return the type id in the header of the block at {@code reference}}
     *
     * @throws IllegalArgumentException if it is not an allocated block
     */
    public int blockTypeId(long reference) {
        requireBlock(reference);
        return view.get(LE_INT, reference + BH_TYPE_ID);
    }

    /**
     * {@return the payload size in bytes of the block at {@code reference}}
     *
     * @throws IllegalArgumentException if it is not an allocated block
     */
    public long blockByteSize(long reference) {
        requireBlock(reference);
        return Integer.toUnsignedLong(view.get(LE_INT, reference + BH_PAYLOAD_BYTES));
    }

    /**
     * {@return the type id in the header of the block at {@code reference}}, without checking that
     * the block is allocated: for references read from a reference slot of this heap, which the
     * transaction protocol and the recovery GC keep pointing at allocated blocks (the hot path of
     * every dereference in the collections). Use {@link #blockTypeId} for a reference of unknown
     * origin.
     *
     * @throws IndexOutOfBoundsException if the header lies outside the object area
     */
    public int typeIdOfReference(long reference) {
        return view.get(LE_INT, checkRange(reference + BH_TYPE_ID, 8));
    }

    /** {@return the payload size of the block at {@code reference}} Unchecked like {@link #typeIdOfReference}. */
    public long byteSizeOfReference(long reference) {
        return Integer.toUnsignedLong(view.get(LE_INT, checkRange(reference + BH_TYPE_ID, 8) + 4));
    }

    private void requireBlock(long reference) {
        checkUsable();
        if (!allocator.isAllocated(reference)) {
            Transaction.Shared current = currentTransaction.get();
            if (current == null || !current.newBlocks.containsKey(reference)) {
                throw new IllegalArgumentException("reference " + reference + " is not an allocated block of heap " + path);
            }
        }
    }

    /** {@return unreachable published blocks: leaks of the application (the recovery GC frees them)} */
    public long unreachableBlocks() {
        checkUsable();
        HeapWalker.Marked marked = HeapWalker.mark(view, allocator, types.all(), roots.snapshot());
        long[] count = {0};
        allocator.forEachAllocated(ref -> {
            if (!marked.marked().contains(ref)) {
                count[0]++;
            }
        });
        return count[0];
    }

    // ---------------------------------------------------------------- raw access

    /** {@return the byte at {@code offset}} @throws IndexOutOfBoundsException outside the object area */
    public byte getByte(long offset) {
        return view.get(ValueLayout.JAVA_BYTE, checkAccess(offset, 1));
    }

    /** {@return the boolean at {@code offset}: any non-zero byte is true} */
    public boolean getBoolean(long offset) {
        return getByte(offset) != 0;
    }

    /** {@return the aligned little-endian short at {@code offset}} */
    public short getShort(long offset) {
        return view.get(LE_SHORT, checkAccess(offset, 2));
    }

    /** {@return the aligned little-endian char at {@code offset}} */
    public char getChar(long offset) {
        return (char) getShort(offset);
    }

    /** {@return the aligned little-endian int at {@code offset}} */
    public int getInt(long offset) {
        return view.get(LE_INT, checkAccess(offset, 4));
    }

    /** {@return the aligned little-endian float at {@code offset}} */
    public float getFloat(long offset) {
        return Float.intBitsToFloat(getInt(offset));
    }

    /** {@return the aligned little-endian long at {@code offset}} */
    public long getLong(long offset) {
        return view.get(LE_LONG, checkAccess(offset, 8));
    }

    /** {@return the aligned little-endian double at {@code offset}} */
    public double getDouble(long offset) {
        return Double.longBitsToDouble(getLong(offset));
    }

    /** {@return the reference at {@code offset}: 0 (null) or an offset from the heap base} */
    public long getRef(long offset) {
        return getLong(offset);
    }

    /** Copies {@code length} bytes from the heap at {@code offset} into {@code target[index...]}. */
    public void getBytes(long offset, byte[] target, int index, int length) {
        Objects.checkFromIndexSize(index, length, target.length);
        MemorySegment.copy(view, ValueLayout.JAVA_BYTE, checkRange(offset, length), target, index, length);
    }

    /** Stores a byte. @throws IllegalStateException if the heap is read-only */
    public void putByte(long offset, byte value) {
        domain.putByte(checkStore(offset, 1), value);
    }

    /** Stores a boolean as one byte, 1 or 0. */
    public void putBoolean(long offset, boolean value) {
        putByte(offset, value ? (byte) 1 : 0);
    }

    /** Stores an aligned short. */
    public void putShort(long offset, short value) {
        domain.putShort(checkStore(offset, 2), value);
    }

    /** Stores an aligned char. */
    public void putChar(long offset, char value) {
        putShort(offset, (short) value);
    }

    /** Stores an aligned int. */
    public void putInt(long offset, int value) {
        domain.putInt(checkStore(offset, 4), value);
    }

    /** Stores an aligned float (its raw bits). */
    public void putFloat(long offset, float value) {
        putInt(offset, Float.floatToRawIntBits(value));
    }

    /** Stores an aligned long: a single store, never torn. */
    public void putLong(long offset, long value) {
        domain.putLong(checkStore(offset, 8), value);
    }

    /** Stores an aligned double (its raw bits). */
    public void putDouble(long offset, double value) {
        putLong(offset, Double.doubleToRawLongBits(value));
    }

    /**
     * Stores a reference.
     *
     * @throws IllegalArgumentException if {@code reference} is neither 0 nor an aligned offset in the object area
     */
    public void putRef(long offset, long reference) {
        checkReference(reference);
        putLong(offset, reference);
    }

    /** Copies {@code source[index...index+length)} into the heap at {@code offset}. */
    public void putBytes(long offset, byte[] source, int index, int length) {
        Objects.checkFromIndexSize(index, length, source.length);
        domain.putBytes(checkRangeStore(offset, length), source, index, length);
    }

    /** Sets {@code byteSize} bytes from {@code offset} to {@code value}. */
    public void fill(long offset, long byteSize, byte value) {
        domain.fill(checkRangeStore(offset, byteSize), byteSize, value);
    }

    /** Starts making the range durable; it is durable after the next {@link #drain} of this thread. */
    public void flush(long offset, long byteSize) {
        domain.flush(checkRangeStore(offset, byteSize), byteSize);
    }

    /** Waits until everything this thread flushed is durable. */
    public void drain() {
        checkUsable();
        domain.drain();
    }

    /** Makes the range durable: {@link #flush} then {@link #drain}. */
    public void persist(long offset, long byteSize) {
        domain.persist(checkRangeStore(offset, byteSize), byteSize);
    }

    /** {@return whether {@code reference} may be stored: 0, or an 8-aligned offset inside the object area} */
    public boolean isValidReference(long reference) {
        return reference == 0 || (reference >= objectStart && reference < objectEnd && (reference & 7) == 0);
    }

    // ---------------------------------------------------------------- internals

    /** Checks a typed access of {@code byteSize} (1, 2, 4 or 8) bytes: usable, in bounds, aligned. */
    private long checkAccess(long offset, int byteSize) {
        checkRange(offset, byteSize);
        if ((offset & (byteSize - 1)) != 0) {
            throw new IllegalArgumentException("offset " + offset + " is not aligned to " + byteSize + " bytes");
        }
        return offset;
    }

    /** Checks a byte range: usable and inside the object area. */
    private long checkRange(long offset, long byteSize) {
        if (problem != null) {
            throwProblem();
        }
        if (offset < objectStart || byteSize < 0 || offset > objectEnd - byteSize) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + byteSize
                    + ") is outside the object area [" + objectStart + ", " + objectEnd + ") of heap " + path);
        }
        return offset;
    }

    private long checkStore(long offset, int byteSize) {
        checkAccess(offset, byteSize);
        if (!writable) {
            throw readOnly();
        }
        return offset;
    }

    private long checkRangeStore(long offset, long byteSize) {
        checkRange(offset, byteSize);
        if (!writable) {
            throw readOnly();
        }
        return offset;
    }

    long checkTxStore(long offset, int byteSize) {
        return checkStore(offset, byteSize);
    }

    long checkTxRange(long offset, long byteSize) {
        return checkRangeStore(offset, byteSize);
    }

    /** Roots must name allocated blocks (or null), so that the recovery GC can trust them. */
    void checkRootTarget(long reference) {
        checkReference(reference);
        if (reference != 0 && !allocator.isAllocated(reference)) {
            Transaction.Shared current = currentTransaction.get();
            if (current == null || current.ended || !current.newBlocks.containsKey(reference)) {
                throw new IllegalArgumentException("reference " + reference + " is not an allocated block of heap " + path
                        + ": roots hold block references or null");
            }
        }
    }

    void checkReference(long reference) {
        if (!isValidReference(reference)) {
            throw new IllegalArgumentException("reference " + reference + " is neither null (0) nor an 8-byte aligned"
                    + " offset in the object area [" + objectStart + ", " + objectEnd + ") of heap " + path);
        }
    }

    void checkUsable() {
        if (problem != null) {
            throwProblem();
        }
    }

    void checkWritable() {
        checkUsable();
        if (!writable) {
            throw readOnly();
        }
    }

    private IllegalStateException readOnly() {
        return new IllegalStateException("heap " + path + " is open " + accessMode + "; it cannot be written");
    }

    private void throwProblem() {
        Object state = problem;
        if (state == CLOSED) {
            throw new IllegalStateException("heap " + path + " is closed");
        }
        if (state instanceof HeapCorruptedException first) {
            throw new HeapCorruptedException(first);
        }
    }

    /** Marks the heap failed (once; the first failure wins) and returns the exception to throw. */
    synchronized HeapCorruptedException fail(String detail) {
        if (problem instanceof HeapCorruptedException first) {
            return new HeapCorruptedException(first);
        }
        HeapCorruptedException failure = new HeapCorruptedException(path, detail);
        problem = failure;
        LOG.log(System.Logger.Level.ERROR, failure.getMessage());
        return failure;
    }

    /**
     * Writes a header update into the copy that does not hold the current header, and persists it.
     * The older copy stays intact until the newer one is durable: a crash leaves one valid copy.
     */
    private synchronized void writeHeader(HeapHeader next) {
        int target = 1 - headerCopy;
        byte[] bytes = next.encode();
        long at = HEADER_COPY_OFFSETS[target];
        domain.putBytes(at, bytes, 0, bytes.length);
        domain.persist(at, bytes.length);
        header = next;
        headerCopy = target;
    }
}
