package io.jpmem.heap;

import io.jpmem.heap.internal.HeapImpl;
import io.jpmem.heap.internal.HeapOpener;
import io.jpmem.persist.Durability;
import io.jpmem.persist.FlushMechanism;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
public sealed interface PersistentHeap extends AutoCloseable permits HeapImpl {

    // ---------------------------------------------------------------- opening

    /**
     * Creates a new heap file and opens it read-write.
     *
     * @param path where to create it; missing parent directories are created
     * @param options durability and sizes
     * @return the open heap
     * @throws HeapOpenException with {@link HeapOpenException.Reason#ALREADY_EXISTS} if the path exists, or
     *     {@link HeapOpenException.Reason#IO_ERROR}
     * @throws IllegalArgumentException if the sizes in {@code options} do not fit together
     */
    static PersistentHeap create(Path path, HeapOptions options) {
        return HeapOpener.create(path, options);
    }

    /**
     * Opens an existing heap read-write with {@link Durability#POWER}.
     *
     * @throws HeapOpenException if the file is missing, not a heap, truncated, of a newer format,
     *     fails its checksum, is corrupt or is open elsewhere; the file is then left unchanged
     */
    static PersistentHeap open(Path path) {
        return open(path, AccessMode.READ_WRITE, Durability.POWER);
    }

    /**
     * Opens an existing heap read-write.
     *
     * @param durability the durability mode for this run (it is not recorded in the file)
     * @throws HeapOpenException as for {@link #open(Path)}
     */
    static PersistentHeap open(Path path, Durability durability) {
        return open(path, AccessMode.READ_WRITE, durability);
    }

    /**
     * Opens a heap, creating it with {@code options} if there is no file at {@code path}.
     *
     * @throws HeapOpenException as for {@link #open(Path)} and {@link #create}
     */
    static PersistentHeap openOrCreate(Path path, HeapOptions options) {
        return HeapOpener.openOrCreate(path, options);
    }

    /**
     * Opens an existing heap read-write with the durability and recovery settings of {@code options}.
     *
     * @throws HeapOpenException as for {@link #open(Path)}
     */
    static PersistentHeap open(Path path, HeapOptions options) {
        return open(path, AccessMode.READ_WRITE, options);
    }

    /**
     * Opens a heap read-only under a shared lock; nothing is ever written to the file.
     *
     * @throws HeapOpenException as for {@link #open(Path)}; {@link HeapOpenException.Reason#LOCKED} if it is open read-write
     */
    static PersistentHeap openReadOnly(Path path) {
        return open(path, AccessMode.READ_ONLY, Durability.PROCESS);
    }

    /**
     * Opens a heap in a given access mode.
     *
     * @throws HeapOpenException as for {@link #open(Path)}
     */
    static PersistentHeap open(Path path, AccessMode accessMode, Durability durability) {
        return open(path, accessMode, HeapOptions.defaults().withDurability(durability));
    }

    /**
     * Opens a heap in a given access mode with the durability and recovery settings of {@code options}
     * (its sizes are used only by create).
     *
     * @throws HeapOpenException as for {@link #open(Path)}
     * @throws HeapCorruptedException if recovery finds the heap corrupt
     */
    static PersistentHeap open(Path path, AccessMode accessMode, HeapOptions options) {
        return HeapOpener.open(path, accessMode, options);
    }

    /** {@return bytes in the largest binary unit that keeps them whole or to one decimal, e.g. "64 MiB"} */
    static String formatBytes(long bytes) {
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
    Path path();

    /** {@return how the heap is open} */
    AccessMode accessMode();

    /** {@return the durability mode in effect} */
    Durability durability();

    /** {@return how flushes are carried out in this run} */
    FlushMechanism flushMechanism();

    /** {@return whether the heap had been closed cleanly before this open} */
    boolean wasClosedCleanly();

    /** {@return the named roots} */
    Roots roots();

    /** {@return the type table} */
    TypeTable types();

    /** {@return the first offset of the object area} */
    long objectAreaOffset();

    /** {@return the end (exclusive) of the object area} */
    long objectAreaEnd();

    /** {@return the maximum size of the heap, fixed at create (the file's length)} */
    long maxByteSize();

    /** {@return the heap's layout, as recorded in its header} */
    HeapLayout layout();

    /**
     * {@return a snapshot of the header, sizes, mode, roots and types}
     *
     * @throws IllegalStateException if closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    HeapInfo info();

    /**
     * Checks the heap's structures in memory: type table entries, root slots, the chunk table,
     * every allocated block's header, and every reference reachable from the roots. Meant for a
     * quiescent heap (no transaction in progress); it reads every slab bitmap and walks the graph.
     *
     * @return the problems found, empty when consistent; if there are any, the heap is failed
     * @throws IllegalStateException if closed, or if a transaction is in progress or ran during the
     *     check (what it changes is not judged, and the heap is not failed)
     */
    List<String> check();

    /**
     * Closes the heap: marks it cleanly shut down (read-write only), unmaps it and releases the lock.
     * Idempotent. Stores that were not persisted are not flushed by close.
     *
     * @throws IllegalStateException if another thread is inside a native call on the mapping
     */
    @Override
    void close();

    /**
     * Begins a transaction on this thread, or joins the one in progress (flat nesting).
     *
     * @return the transaction; commit it, then close it (try-with-resources)
     * @throws IllegalStateException if the heap is read-only or closed
     * @throws HeapCorruptedException if the heap has been found corrupt
     */
    Transaction begin();

    /**
     * Runs {@code body} in a transaction (joining one in progress) and commits it. An exception
     * from {@code body} rolls the transaction back and is rethrown.
     *
     * @throws HeapFullException if an allocation did not fit (the transaction was rolled back)
     */
    void transaction(Consumer<Transaction> body);

    /**
     * Like {@link #transaction(Consumer)}, returning what {@code body} returns.
     */
    <T> T transactionResult(Function<Transaction, T> body);

    /**
     * {@return the transaction in progress on this thread on this heap, if any, as a view that joins
     * it} Stores and allocations through it belong to that transaction; {@code commit} and
     * {@code close} on the view do nothing: the level that began the transaction decides.
     */
    Optional<Transaction> currentTransaction();

    /** {@return what recovery did when this heap was opened} */
    RecoveryReport recoveryReport();

    /**
     * Runs the recovery GC now: frees every block not reachable from the roots.
     * Only safe when no thread holds a reference it has not linked yet: {@code jpmem gc} runs it on a
     * heap it just opened.
     *
     * @return what it found and freed
     * @throws IllegalStateException if a transaction is in progress, or the heap is read-only or closed
     * @throws HeapCorruptedException if a reachable reference is not an allocated block
     */
    RecoveryReport collectGarbage();

    /** {@return capacity and fragmentation figures (reads every slab's bitmap)} */
    AllocationStats allocationStats();

    /** {@return whether {@code reference} is a published block of this heap} */
    boolean isAllocated(long reference);

    /**
     * {@return the type id in the header of the block at {@code reference}}
     *
     * @throws IllegalArgumentException if it is not an allocated block
     */
    int blockTypeId(long reference);

    /**
     * {@return the payload size in bytes of the block at {@code reference}}
     *
     * @throws IllegalArgumentException if it is not an allocated block
     */
    long blockByteSize(long reference);

    /** {@return unreachable published blocks: leaks of the application (the recovery GC frees them)} */
    long unreachableBlocks();

    /** {@return the byte at {@code offset}} @throws IndexOutOfBoundsException outside the object area */
    byte getByte(long offset);

    /** {@return the boolean at {@code offset}: any non-zero byte is true} */
    boolean getBoolean(long offset);

    /** {@return the aligned little-endian short at {@code offset}} */
    short getShort(long offset);

    /** {@return the aligned little-endian char at {@code offset}} */
    char getChar(long offset);

    /** {@return the aligned little-endian int at {@code offset}} */
    int getInt(long offset);

    /** {@return the aligned little-endian float at {@code offset}} */
    float getFloat(long offset);

    /** {@return the aligned little-endian long at {@code offset}} */
    long getLong(long offset);

    /** {@return the aligned little-endian double at {@code offset}} */
    double getDouble(long offset);

    /** {@return the reference at {@code offset}: 0 (null) or an offset from the heap base} */
    long getRef(long offset);

    /** Copies {@code length} bytes from the heap at {@code offset} into {@code target[index...]}. */
    void getBytes(long offset, byte[] target, int index, int length);

    /** Stores a byte. @throws IllegalStateException if the heap is read-only */
    void putByte(long offset, byte value);

    /** Stores a boolean as one byte, 1 or 0. */
    void putBoolean(long offset, boolean value);

    /** Stores an aligned short. */
    void putShort(long offset, short value);

    /** Stores an aligned char. */
    void putChar(long offset, char value);

    /** Stores an aligned int. */
    void putInt(long offset, int value);

    /** Stores an aligned float (its raw bits). */
    void putFloat(long offset, float value);

    /** Stores an aligned long: a single store, never torn. */
    void putLong(long offset, long value);

    /** Stores an aligned double (its raw bits). */
    void putDouble(long offset, double value);

    /**
     * Stores a reference.
     *
     * @throws IllegalArgumentException if {@code reference} is neither 0 nor an aligned offset in the object area
     */
    void putRef(long offset, long reference);

    /** Copies {@code source[index...index+length)} into the heap at {@code offset}. */
    void putBytes(long offset, byte[] source, int index, int length);

    /** Sets {@code byteSize} bytes from {@code offset} to {@code value}. */
    void fill(long offset, long byteSize, byte value);

    /** Starts making the range durable; it is durable after the next {@link #drain} of this thread. */
    void flush(long offset, long byteSize);

    /** Waits until everything this thread flushed is durable. */
    void drain();

    /** Makes the range durable: {@link #flush} then {@link #drain}. */
    void persist(long offset, long byteSize);

    /** {@return whether {@code reference} may be stored: 0, or an 8-aligned offset inside the object area} */
    boolean isValidReference(long reference);
}
