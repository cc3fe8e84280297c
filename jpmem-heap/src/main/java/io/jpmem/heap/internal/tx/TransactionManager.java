package io.jpmem.heap.internal.tx;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.log.LogSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The transactions of one open heap: the pool of log slots (one per transaction in progress), the
 * transaction each thread has in progress (nesting is flat: a begin inside a transaction joins it),
 * and how many are in progress (close refuses while any is).
 */
public final class TransactionManager {

    /** Transactions in progress on this thread, on any heap (a thread may hold one per heap). */
    private static final ThreadLocal<List<TransactionImpl.Shared>> TRANSACTIONS_ON_THREAD =
            ThreadLocal.withInitial(ArrayList::new);

    private final HeapState state;
    private final Allocator allocator;
    private final TypeRegistry types;
    private final BlockingQueue<LogSlot> freeLogSlots;
    private final ThreadLocal<TransactionImpl.Shared> current = new ThreadLocal<>();
    private final AtomicInteger active = new AtomicInteger();
    /** Transactions begun so far (outermost levels): tells a check whether one ran meanwhile. */
    private final java.util.concurrent.atomic.AtomicLong begun = new java.util.concurrent.atomic.AtomicLong();
    /** Set by {@link #closeGate} before it counts the transactions in progress; a begin counts itself first. */
    private volatile boolean closing;
    /** Set by {@link #runQuiescent} (a checkpoint): begins wait until it is cleared. */
    private volatile boolean paused;
    private final Object pauseMonitor = new Object();

    /** @param slots every log slot of the heap, each recovered (none holds a transaction) */
    public TransactionManager(HeapState state, Allocator allocator, TypeRegistry types, List<LogSlot> slots) {
        this.state = state;
        this.allocator = allocator;
        this.types = types;
        this.freeLogSlots = new ArrayBlockingQueue<>(Math.max(1, slots.size()), false, slots);
    }

    /**
     * Begins a transaction on this thread, or joins the one in progress (flat nesting); waits while
     * every log slot is in use.
     *
     * @throws IllegalStateException if the heap is read-only or closed, or the thread is interrupted
     * @throws io.jpmem.heap.HeapCorruptedException if the heap has been found corrupt
     */
    public TransactionImpl begin() {
        state.checkWritable();
        TransactionImpl.Shared shared = current.get();
        if (shared != null && !shared.ended) {
            shared.depth++;
            return new TransactionImpl(shared, false);
        }
        active.incrementAndGet(); // counted before the close check: close sees it, or it sees close
        while (paused) { // counted before the pause check, as for close: a pause sees it, or it sees the pause
            active.decrementAndGet();
            awaitUnpaused();
            active.incrementAndGet();
        }
        begun.incrementAndGet();
        LogSlot slot;
        try {
            if (closing) {
                state.checkWritable();
                throw new IllegalStateException("heap " + state.path() + " is closing");
            }
            slot = freeLogSlots.take();
        } catch (InterruptedException e) {
            active.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a transaction log slot", e);
        } catch (RuntimeException | Error e) {
            active.decrementAndGet();
            throw e;
        }
        try {
            slot.begin();
        } catch (RuntimeException | Error e) {
            active.decrementAndGet();
            freeLogSlots.add(slot);
            throw e;
        }
        shared = new TransactionImpl.Shared(state, this, types, slot, allocator);
        shared.depth = 1;
        current.set(shared);
        TRANSACTIONS_ON_THREAD.get().add(shared);
        return new TransactionImpl(shared, true);
    }

    /**
     * Runs {@code body} in the calling thread's transaction on this heap, or in one of its own that
     * commits when the body returns; if the body throws, the transaction it ran in is rolled back as
     * a whole (also a joined one) and the exception is rethrown. The rule of
     * {@link io.jpmem.heap.spi.HeapSpi}.
     */
    public <R> R inTransaction(Function<Transaction, R> body) {
        TransactionImpl joined = currentOrNull();
        if (joined == null) {
            try (TransactionImpl tx = begin()) {
                R result = body.apply(tx);
                tx.commit();
                return result;
            }
        }
        try {
            return body.apply(joined);
        } catch (RuntimeException | Error e) {
            joined.rollbackWhole();
            throw e;
        }
    }

    /** As {@link #inTransaction}, without boxing the result. */
    public long inTransactionLong(ToLongFunction<Transaction> body) {
        TransactionImpl joined = currentOrNull();
        if (joined == null) {
            try (TransactionImpl tx = begin()) {
                long result = body.applyAsLong(tx);
                tx.commit();
                return result;
            }
        }
        try {
            return body.applyAsLong(joined);
        } catch (RuntimeException | Error e) {
            joined.rollbackWhole();
            throw e;
        }
    }

    /** {@return the transaction in progress on this thread, as a joined view that never commits or closes, or null} */
    public TransactionImpl currentOrNull() {
        TransactionImpl.Shared shared = current.get();
        if (shared == null || shared.ended) {
            return null;
        }
        if (shared.joined == null) {
            shared.joined = new TransactionImpl(shared, false); // never committed or closed by its users
        }
        return shared.joined;
    }

    /** {@return whether the calling thread's transaction on this heap allocated the block at {@code ref}} */
    public boolean allocatedByCurrent(long ref) {
        TransactionImpl.Shared shared = current.get();
        return shared != null && !shared.ended && shared.newBlocks.containsKey(ref);
    }

    /** {@return how many transactions (outermost levels) have begun on this heap since it was opened} */
    public long begunCount() {
        return begun.get();
    }

    /** {@return how many transactions are in progress on this heap} */
    public int activeCount() {
        return active.get();
    }

    private void awaitUnpaused() {
        synchronized (pauseMonitor) {
            pauseMonitor.notifyAll();
            while (paused) {
                try {
                    pauseMonitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while a checkpoint of " + state.path() + " ran", e);
                }
            }
        }
    }

    /**
     * Runs {@code action} while no transaction is in progress on this heap: new ones wait (they are
     * not refused) until it returns; it waits for those in progress to end, at most {@code maxWaitMillis}
     * (a transaction in progress may itself wait for one that would begin: the pause then gives way).
     * For checkpoints, which must see no half-made transaction.
     *
     * @return whether {@code action} ran
     * @throws IllegalStateException if the heap is closing, or not writable (failed)
     */
    public boolean runQuiescent(Runnable action, long maxWaitMillis) {
        synchronized (pauseMonitor) {
            if (closing) {
                throw new IllegalStateException("heap " + state.path() + " is closing");
            }
            state.checkWritable();
            paused = true;
            long deadline = System.nanoTime() + maxWaitMillis * 1_000_000;
            try {
                while (active.get() > 0) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    try {
                        pauseMonitor.wait(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for transactions to end", e);
                    }
                }
                state.checkWritable();
                action.run();
                return true;
            } finally {
                paused = false;
                pauseMonitor.notifyAll();
            }
        }
    }

    /** Called by a transaction when it has ended: its slot goes back to the pool. */
    void end(TransactionImpl.Shared shared) {
        endKeepingSlot(shared);
        freeLogSlots.add(shared.slot);
    }

    /** Called by a transaction that failed after its commit point: its slot, still marked committed, is never reused. */
    void endKeepingSlot(TransactionImpl.Shared shared) {
        current.remove();
        TRANSACTIONS_ON_THREAD.get().remove(shared);
        active.decrementAndGet();
    }

    /**
     * Stops new transactions from beginning, then runs {@code closer} if none is in progress. A begin
     * that races it either is counted here (and the close is refused) or sees the gate (and is refused).
     *
     * @throws IllegalStateException if transactions are in progress; the gate is then open again
     */
    public void closeGate(Runnable closer) {
        closing = true;
        int inProgress = active.get();
        if (inProgress > 0) {
            closing = false;
            throw new IllegalStateException("heap " + state.path() + " has " + inProgress
                    + " transaction(s) in progress; end them before closing");
        }
        closer.run();
    }

    /** {@return the heaps with a transaction in progress on the calling thread} */
    public static List<PersistentHeap> heapsInTransactionOnThisThread() {
        List<PersistentHeap> heaps = new ArrayList<>();
        for (TransactionImpl.Shared shared : TRANSACTIONS_ON_THREAD.get()) {
            heaps.add(shared.state.owner());
        }
        return heaps;
    }
}
