package io.jpmem.heap;

import io.jpmem.heap.internal.tx.TransactionImpl;
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
 * the allocator). Each transaction keeps its own set of dirty cache
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
 *   <li>A {@link HeapFullException} from a mutation (an allocation, or the growth of the log for a
 *       store) makes the transaction rollback-only, as in libpmemobj: catching it does not make the
 *       transaction committable again, and its commit rolls it back and throws. Use
 *       {@link #tryAllocateArray} for an allocation the caller can do without.
 *   <li>A failure after the commit point (an I/O error while the commit finishes) never rolls back a
 *       committed transaction: the heap is failed instead, and its next open finishes the
 *       transaction from the log.
 *   <li>Isolation is the application's: concurrent transactions must touch disjoint data, or hold
 *       locks. {@link #lock} takes a lock and holds it until the transaction ends (two-phase
 *       locking), so no other thread that takes the same lock sees uncommitted data. Reads of data
 *       another thread may be writing, and the choice of locks, are the application's.
 *   <li>Stores made with the heap's raw {@code put*} methods inside a transaction are not logged:
 *       use this object's methods.
 * </ul>
 */
public sealed interface Transaction extends AutoCloseable permits TransactionImpl {

    /** {@return the heap this transaction updates} */
    PersistentHeap heap();

    /** {@return whether the transaction can still be used (not committed, not rolled back)} */
    boolean isActive();

    /**
     * Allocates a zeroed block of a record type, published at commit.
     *
     * @return the new block's reference
     * @throws HeapFullException if it does not fit; the transaction is then rollback-only (its commit rolls it back)
     * @throws IllegalArgumentException if the type is an array type or not this heap's
     */
    long allocate(HeapType type);

    /**
     * Allocates a zeroed array block of {@code length} elements, published at commit.
     *
     * @throws HeapFullException if it does not fit; the transaction is then rollback-only
     * @throws IllegalArgumentException if the type is not an array type, or the length is negative
     */
    long allocateArray(HeapType type, long length);

    /**
     * Allocates a zeroed block of {@code payloadBytes} with the given type id in its header.
     *
     * @throws HeapFullException if it does not fit; the transaction is then rollback-only
     * @throws IllegalArgumentException if the type is not recorded in this heap, or the size is out of range
     */
    long allocate(HeapType type, long payloadBytes);

    /**
     * Allocates a zeroed array block of {@code length} elements, published at commit, if it fits: for
     * an allocation the caller can do without (a hash table growing, a cache). Unlike the other
     * allocation methods, a block that does not fit leaves the transaction committable.
     *
     * @return the new block's reference, or 0 if it does not fit
     * @throws IllegalArgumentException if the type is not an array type, or the length is negative
     */
    long tryAllocateArray(HeapType type, long length);

    /**
     * Allocates an array block of one-byte elements holding a copy of {@code contents}, published
     * at commit: {@link #allocateArray} then {@link #putBytes}, in one step. The block is not
     * zeroed first, and the copy starts its write-back as it is made (on persistent memory,
     * non-temporal stores through libpmem) instead of line by line at commit.
     *
     * @throws HeapFullException if it does not fit; the transaction is then rollback-only
     * @throws IllegalArgumentException if the type is not an array type of BYTE or BOOLEAN elements
     */
    long allocateArrayCopy(HeapType type, byte[] contents);

    /**
     * Frees a block at commit (it stays readable until then; a rollback keeps it).
     *
     * @throws IllegalArgumentException if {@code ref} is not an allocated block, or is already freed
     *     in this transaction
     */
    void free(long ref);

    /** Stores a byte, logged. */
    void putByte(long offset, byte value);

    /** Stores a boolean as one byte, logged. */
    void putBoolean(long offset, boolean value);

    /** Stores an aligned short, logged. */
    void putShort(long offset, short value);

    /** Stores an aligned char, logged. */
    void putChar(long offset, char value);

    /** Stores an aligned int, logged. */
    void putInt(long offset, int value);

    /** Stores an aligned float, logged. */
    void putFloat(long offset, float value);

    /** Stores an aligned long, logged. */
    void putLong(long offset, long value);

    /** Stores an aligned double, logged. */
    void putDouble(long offset, double value);

    /**
     * Stores a reference, logged.
     *
     * @throws IllegalArgumentException if {@code reference} is neither 0 nor an aligned offset in the object area
     */
    void putRef(long offset, long reference);

    /** Copies bytes into the heap, logged. */
    void putBytes(long offset, byte[] source, int index, int length);

    /** Fills a range, logged. */
    void fill(long offset, long byteSize, byte value);

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
     * @throws HeapFullException if the log cannot grow to hold it; the transaction is then rollback-only
     */
    void snapshot(long offset, long byteSize);

    /**
     * Takes {@code lock} now and holds it until this transaction commits or rolls back.
     *
     * @throws IllegalStateException if the transaction has ended
     */
    void lock(Lock lock);

    /**
     * A point in a transaction to roll back to without rolling back all of it: what the transaction
     * did before the point stays (a server rolls back one failed command of a group commit).
     * Savepoints are volatile: a crash rolls back the whole transaction, as always.
     */
    sealed interface Savepoint permits TransactionImpl.Mark {}

    /**
     * {@return a savepoint at this moment of the transaction}
     *
     * @throws IllegalStateException if the transaction has ended
     */
    Savepoint savepoint();

    /**
     * Undoes everything done after {@code savepoint}: stores are restored, blocks allocated after it
     * are released, frees after it are dropped, roots created or removed after it are as before.
     * Savepoints taken after it become invalid; it stays valid. Locks taken after it stay held until
     * the transaction ends (two-phase locking).
     *
     * @throws IllegalArgumentException if it is not a savepoint of this transaction, or a rollback passed it
     * @throws IllegalStateException if the transaction has ended, or is rollback-only (roll it back whole)
     */
    void rollbackTo(Savepoint savepoint);

    /**
     * Commits. At the outermost level: when this returns, every store, allocation and free of the
     * transaction is durable (in the heap's durability mode) and visible as a whole after any crash.
     * At a nested level: marks the level done; the outermost commit decides.
     *
     * @throws IllegalStateException if the transaction has already ended
     * @throws HeapFullException if the commit's redo entries do not fit, or the transaction is rollback-only
     *     because an allocation or the growth of its log did not fit earlier; the transaction is rolled back
     */
    void commit();

    /**
     * Ends this level: if it was not committed, rolls the whole transaction back. Idempotent.
     */
    @Override
    void close();
}
