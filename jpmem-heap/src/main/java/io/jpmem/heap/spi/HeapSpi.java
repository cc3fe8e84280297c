package io.jpmem.heap.spi;

import io.jpmem.heap.LogSync;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.internal.HeapImpl;
import io.jpmem.heap.internal.tx.TransactionManager;
import io.jpmem.persist.PersistenceDomain;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What the jpmem layers above the heap (objects, collections, the explorer) need from it beyond the
 * public API. Exported only to those modules; applications use {@link PersistentHeap} and
 * {@link Transaction}.
 *
 * <h2>The one rule for running inside a transaction</h2>
 * {@link #inTransaction}, {@link #inTransactionGet} and {@link #inTransactionLong} run an operation
 * of a persistent object atomically:
 * <ul>
 *   <li>If the calling thread has a transaction in progress on {@code heap}, the body joins it: its
 *       stores, allocations and frees commit or roll back with that transaction.
 *   <li>Otherwise the body runs in a transaction of its own, committed when the body returns.
 *   <li>If the body throws, the transaction it ran in is rolled back as a whole — also a joined one,
 *       exactly as when a nested level of {@link PersistentHeap#begin()} closes without committing —
 *       and the exception is rethrown. The caller's later stores in that transaction then fail with
 *       {@link IllegalStateException}; so an operation that failed half-way can never be committed
 *       by a caller that caught its exception.
 * </ul>
 */
public final class HeapSpi {

    private HeapSpi() {}

    /** Runs {@code body} atomically by the rule above. */
    public static void inTransaction(PersistentHeap heap, Consumer<Transaction> body) {
        impl(heap).transactions().inTransaction(tx -> {
            body.accept(tx);
            return null;
        });
    }

    /** Runs {@code body} atomically by the rule above and returns what it returns. */
    public static <R> R inTransactionGet(PersistentHeap heap, Function<Transaction, R> body) {
        return impl(heap).transactions().inTransaction(body);
    }

    /** Runs {@code body} atomically by the rule above and returns what it returns (no boxing) */
    public static long inTransactionLong(PersistentHeap heap, ToLongFunction<Transaction> body) {
        return impl(heap).transactions().inTransactionLong(body);
    }

    /**
     * What a heap's write-ahead log is doing, for a server's INFO.
     *
     * @param sync        when commits are made durable
     * @param records     records appended since open (commits, and stores made durable outside transactions)
     * @param groups      frames written (each one fdatasync with {@link LogSync#ALWAYS})
     * @param checkpoints checkpoints completed since open
     * @param replayed    records replayed at open
     */
    public record LogStatus(LogSync sync, long records, long groups, long checkpoints, long replayed) {}

    /** {@return the heap's write-ahead log status, or empty if it has none (persistent memory, PROCESS, read-only)} */
    public static java.util.Optional<LogStatus> logStatus(PersistentHeap heap) {
        var log = impl(heap).log();
        if (log == null) {
            return java.util.Optional.empty();
        }
        var stats = log.stats();
        return java.util.Optional.of(new LogStatus(log.sync(), stats.commits(), stats.groups(), log.checkpoints(),
                log.replayedRecords()));
    }

    /**
     * {@return the persistence domain every store of {@code heap} passes through} The explorer uses it
     * to reach the {@link io.jpmem.persist.SimulatedDomain} of a simulated heap.
     */
    public static PersistenceDomain domain(PersistentHeap heap) {
        return impl(heap).domain();
    }

    /** {@return the heaps with a transaction in progress on the calling thread} (where {@code new} allocates) */
    public static List<PersistentHeap> heapsInTransactionOnThisThread() {
        return TransactionManager.heapsInTransactionOnThisThread();
    }

    /**
     * {@return the type id in the header of the block at {@code reference}}, without checking that the
     * block is allocated: for references read from a reference slot of the heap, which the transaction
     * protocol and the recovery GC keep pointing at allocated blocks (the hot path of every dereference
     * in the collections). {@link PersistentHeap#blockTypeId} checks.
     *
     * @throws IndexOutOfBoundsException if the header lies outside the object area
     */
    public static int typeIdOfReference(PersistentHeap heap, long reference) {
        return impl(heap).typeIdOfReference(reference);
    }

    /** {@return the payload size of the block at {@code reference}}, unchecked like {@link #typeIdOfReference}. */
    public static long byteSizeOfReference(PersistentHeap heap, long reference) {
        return impl(heap).byteSizeOfReference(reference);
    }

    private static HeapImpl impl(PersistentHeap heap) {
        return (HeapImpl) heap; // sealed: the only implementation
    }
}
