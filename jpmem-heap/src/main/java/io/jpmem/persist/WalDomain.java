package io.jpmem.persist;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Durability#POWER} (or less, as the log's sync level says) on ordinary storage: stores go to
 * a private (copy-on-write) mapping, so the kernel never writes the heap file behind the heap's back,
 * and what must become durable is appended to a write-ahead log as after-images: the bytes of the
 * ranges as they are when the record is taken.
 *
 * <h2>What is durable when</h2>
 * <ul>
 *   <li>{@link #flush} remembers the exact range for this thread; {@link #drain} appends this thread's
 *       remembered ranges as one record and returns when the journal says it is durable (with the
 *       sync level {@code always}: fdatasync'd). This keeps the domain contract for the heap's
 *       stores outside transactions (roots, types, raw stores a program persists itself).</li>
 *   <li>{@link #publish}/{@link #publishFlushed} append a record without waiting: an allocator
 *       structure published at once only has to be in the log before anything that depends on it,
 *       which the log's order guarantees.</li>
 *   <li>{@link #commit} is the transactions' path: the transaction keeps its own exact ranges (its
 *       undo entries stay in memory, for rollback and savepoints only) and hands them over once.</li>
 * </ul>
 *
 * <h2>Order</h2>
 * Records are taken and appended under one commit lock, and what a commit stores into words shared
 * with other transactions (the allocator's bitmap words) is stored under the same lock
 * ({@link #commit}'s {@code underLock}). So a record's images never hold another transaction's change
 * that comes after it in the log: replaying any prefix of the log gives a state that existed.
 *
 * <p>Flushes into the excluded range (the log slots, whose undo entries a log-based recovery never
 * needs) are ignored.
 */
public final class WalDomain extends MappedDomain {

    /** Where the domain's records go: implemented by the engine over its write-ahead log. */
    public interface Journal {
        /**
         * Queues a record of the current bytes of {@code ranges} of {@code view}; called under the
         * domain's commit lock, so records are in the order their images were taken.
         *
         * @return a ticket for {@link #await}
         */
        Object append(MemorySegment view, Ranges ranges);

        /** Waits until the record of {@code ticket} is as durable as the sync level promises. */
        void await(Object ticket);

        /** {@return the most bytes of images (with 32 bytes of overhead per range) one record may hold} */
        long maxRecordBytes();
    }

    private final Journal journal;
    private final long excludedStart;
    private final long excludedEnd;
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ThreadLocal<Ranges> pending = ThreadLocal.withInitial(Ranges::new);

    /**
     * A domain over {@code mapping} (a private mapping of the heap file).
     *
     * @param excludedStart start of the range whose flushes are ignored (the log slots)
     * @param excludedEnd   its end
     */
    public WalDomain(MemorySegment mapping, Journal journal, long excludedStart, long excludedEnd) {
        super(mapping);
        this.journal = Objects.requireNonNull(journal, "journal");
        this.excludedStart = excludedStart;
        this.excludedEnd = excludedEnd;
    }

    @Override
    public Durability durability() {
        return Durability.POWER;
    }

    @Override
    public FlushMechanism mechanism() {
        return FlushMechanism.WAL;
    }

    @Override
    public void flush(long offset, long byteSize) {
        checkRange(offset, byteSize);
        if (byteSize == 0 || offset >= excludedStart && offset + byteSize <= excludedEnd) {
            return;
        }
        pending.get().add(offset, byteSize);
    }

    @Override
    public void drain() {
        BarrierHook.reached();
        storeStoreFence();
        Object ticket = appendPending();
        if (ticket != null) {
            journal.await(ticket);
        }
    }

    @Override
    public void publish(long offset, long byteSize) {
        flush(offset, byteSize);
        publishFlushed();
    }

    @Override
    public void publishFlushed() {
        storeStoreFence();
        appendPending();
    }

    private Object appendPending() {
        Ranges ranges = pending.get();
        if (ranges.isEmpty()) {
            return null;
        }
        commitLock.lock();
        try {
            return journal.append(view(), ranges.normalize());
        } finally {
            ranges.clear();
            commitLock.unlock();
        }
    }

    /**
     * A transaction's commit: runs {@code underLock} (which stores into shared words and adds their
     * ranges to {@code ranges}), then appends {@code ranges} as one record, both under the commit lock;
     * then waits for the record's durability.
     *
     * @throws RuntimeException what the journal throws if the record cannot be made durable; the
     *     stores are then in memory but not in the log
     */
    public void commit(Ranges ranges, Runnable underLock) {
        BarrierHook.reached();
        Object ticket;
        commitLock.lock();
        try {
            underLock.run();
            ticket = journal.append(view(), ranges.normalize());
        } finally {
            commitLock.unlock();
        }
        journal.await(ticket);
        BarrierHook.reached(); // the commit is acknowledged from here on
    }

    /** {@return the most bytes of images (with 32 bytes of overhead per range) one record may hold} */
    public long maxRecordBytes() {
        return journal.maxRecordBytes();
    }

    /**
     * Runs {@code action} while no record can be taken (a checkpoint's roll and page copy use it to
     * see a state no commit is half-way through appending).
     */
    public void whileNoRecordIsTaken(Runnable action) {
        commitLock.lock();
        try {
            action.run();
        } finally {
            commitLock.unlock();
        }
    }
}
