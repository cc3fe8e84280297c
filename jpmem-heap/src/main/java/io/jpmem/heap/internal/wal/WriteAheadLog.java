package io.jpmem.heap.internal.wal;

import static io.jpmem.heap.internal.wal.WalFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends commit records to the receiving log file, sharing one fdatasync among concurrent commits
 * (group commit).
 *
 * <h2>What is durable when</h2>
 * {@link #append} only queues a record. With {@link SyncPolicy#EACH_GROUP} it is durable, and the
 * commit acknowledged, when {@link #await} returns its sequence number; with
 * {@link SyncPolicy#ON_REQUEST} {@code await} returns once it is written (it survives the death of
 * the process) and it is durable when a later {@link #sync()} returns. Sequences are consecutive in
 * order of return. If {@code await} throws {@link WalWriteException}, the record was not written, or
 * was voided, and recovery never returns it.
 *
 * <h2>Group commit (leader/follower)</h2>
 * A thread that awaits its record while no group is being written becomes the leader: it takes every
 * record queued at that moment (up to {@link WalFormat#MAX_FRAME_BYTES}), numbers them, writes them as
 * one frame at the end of the log with one write, and calls fdatasync once; the others wait. Records
 * queued meanwhile form the next group, led by one of their own threads. Each frame records the last
 * sequence durable when it was written, which is what lets recovery tell a torn (unsynced) tail from
 * damage in the synced part.
 *
 * <h2>Failures</h2>
 * The file grows in steps of zeros written ahead of the frames ({@code growthBytes}), so a full file
 * system is met while growing, before anything of the group is written: the group fails with
 * {@code NO_SPACE} and the log is unchanged. If the frame's write or sync fails, the frame's header is
 * overwritten with zeros and synced (voided) so it can never be recovered, and its sequences are reused;
 * if that fails too, the log fails for good ({@code LOG_FAILED}).
 *
 * <p>Thread-safe.
 */
public final class WriteAheadLog {

    /** A queued record; pass it to {@link #await}. */
    public static final class Pending {
        private final long ticket;
        private final FrameCodec.Body body;
        private long seq;
        private boolean done;
        private WalWriteException failure;

        private Pending(long ticket, FrameCodec.Body body) {
            this.ticket = ticket;
            this.body = body;
        }
    }

    /**
     * Counters since the log was opened.
     *
     * @param commits      records made durable
     * @param groups       frames written (with {@link SyncPolicy#EACH_GROUP}, each with one fdatasync)
     * @param failedGroups groups that failed
     * @param bytes        frame bytes written
     */
    public record Stats(long commits, long groups, long failedGroups, long bytes) {
        /** {@return groups per commit: fdatasyncs per commit with {@link SyncPolicy#EACH_GROUP}} */
        public double syncsPerCommit() {
            return commits == 0 ? 0 : (double) groups / commits;
        }
    }

    /** When a group's frame is made durable. */
    public enum SyncPolicy {
        /** Each group is fdatasync'd before its commits return ({@code appendfsync always}). */
        EACH_GROUP,
        /**
         * A group's frame is written (to the page cache: it survives the death of the process) and its
         * commits return; it is durable when a later {@link #sync()} returns ({@code everysec} calls it
         * once a second, {@code no} rarely). Recovery after a power loss finds a prefix of the commits
         * that holds every one a {@code sync} covered.
         */
        ON_REQUEST
    }

    private static final int ZERO_CHUNK = 1 << 20;

    private final WalFiles files;
    private final long growthBytes;
    private final SyncPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long nextTicket = 1;
    private boolean leading;
    /** A {@link #sync()} is running its fdatasync (without the lock). */
    private boolean syncing;
    private long nextSeq;
    /** The last sequence whose fdatasync returned. */
    private long durableSeq;
    private WalFiles.Target target;
    private long appendAt;
    /** The header CRC of the receiving file's last frame: the next frame chains to it. */
    private int previousCrc;
    private long allocatedEnd;
    private boolean rollRequested;
    private long rollTicket;
    private WalWriteException failed;
    private long commits;
    private long groups;
    private long failedGroups;
    private long bytes;
    /** The header CRC of the frame the leader wrote last (leader only). */
    private int writtenCrc;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10).order(ByteOrder.LITTLE_ENDIAN);

    private WriteAheadLog(WalFiles files, long appendAt, long lastSeq, int lastFrameCrc, long growthBytes,
            SyncPolicy policy) throws IOException {
        if (growthBytes < 4096) {
            throw new IllegalArgumentException("growth step " + growthBytes + " is below 4096 bytes");
        }
        this.files = files;
        this.growthBytes = growthBytes;
        this.policy = policy;
        this.target = files.receiving();
        this.appendAt = appendAt;
        this.allocatedEnd = Math.max(appendAt, target.file().size());
        this.nextSeq = lastSeq + 1;
        this.durableSeq = lastSeq;
        this.previousCrc = lastFrameCrc;
    }

    /** {@link #ofNew(WalFiles, long, SyncPolicy)} syncing each group. */
    public static WriteAheadLog ofNew(WalFiles files, long growthBytes) throws IOException {
        return ofNew(files, growthBytes, SyncPolicy.EACH_GROUP);
    }

    /**
     * Starts appending to a new log (made by {@link WalFiles#create}); the first commit is sequence 1.
     * The log file grows in steps of {@code growthBytes} (at least 4096).
     */
    public static WriteAheadLog ofNew(WalFiles files, long growthBytes, SyncPolicy policy) throws IOException {
        return new WriteAheadLog(files, BODY_START, files.receiving().header().checkpointSeq(), 0, growthBytes, policy);
    }

    /** {@link #ofRecovered(RecoveredLog, long, SyncPolicy)} syncing each group. */
    public static WriteAheadLog ofRecovered(RecoveredLog log, long growthBytes) throws IOException {
        return ofRecovered(log, growthBytes, SyncPolicy.EACH_GROUP);
    }

    /**
     * Goes on appending after what recovery found (its torn tail, if any, is overwritten). First
     * fdatasyncs both log files: what recovery read may have been written by a process that died before
     * its sync, and every later frame declares it durable.
     *
     * @throws IOException if a sync fails
     */
    public static WriteAheadLog ofRecovered(RecoveredLog log, long growthBytes, SyncPolicy policy) throws IOException {
        log.files().file(0).sync();
        log.files().file(1).sync();
        return new WriteAheadLog(log.files(), log.appendPosition(), log.lastSeq(), log.lastFrameCrc(), growthBytes,
                policy);
    }

    /**
     * Queues a record of {@code images} (encoded now, by this thread); not durable until {@link #await}
     * returns.
     *
     * @throws IllegalArgumentException if the record is larger than a frame
     * @throws WalWriteException        {@code LOG_FAILED} if the log has failed for good
     */
    public Pending append(List<AfterImage> images) {
        FrameCodec.Body body = FrameCodec.Body.of(images);
        lock.lock();
        try {
            if (failed != null) {
                throw failed;
            }
            Pending p = new Pending(nextTicket++, body);
            queue.add(p);
            return p;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code pending} is durable, leading a group if no one else is writing one.
     *
     * @return its sequence number
     * @throws WalWriteException if its group failed (the record will never be recovered)
     */
    public long await(Pending pending) {
        lock.lock();
        try {
            while (!pending.done) {
                if (!leading && eligible()) {
                    lead();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
            if (pending.failure != null) {
                throw pending.failure;
            }
            return pending.seq;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #append} then {@link #await}: returns when the commit is durable, with its sequence. */
    public long commit(List<AfterImage> images) {
        return await(append(images));
    }

    /**
     * Switches records to the armed spare file (a checkpoint's roll): waits until every record queued
     * before this call is written or failed, fdatasyncs the old file if some of it is not durable yet
     * ({@link SyncPolicy#ON_REQUEST}), then sends later records to the spare.
     *
     * @return the last sequence in the old file, durable: the heap state a checkpoint must write
     * @throws IllegalStateException if the spare is not armed or a roll is under way
     * @throws WalWriteException     {@code LOG_FAILED} if that sync fails (no roll happened)
     */
    long roll() {
        lock.lock();
        try {
            if (rollRequested || !files.spareArmed()) {
                throw new IllegalStateException("cannot roll: the spare log file is not armed");
            }
            rollRequested = true;
            rollTicket = nextTicket - 1;
            while (leading || eligible()) {
                if (!leading) {
                    lead();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
            if (durableSeq < nextSeq - 1) {
                try {
                    syncLocked();
                } catch (WalWriteException e) {
                    rollRequested = false;
                    changed.signalAll();
                    throw e;
                }
            }
            long last = nextSeq - 1;
            target = files.roll(last);
            appendAt = BODY_START;
            previousCrc = 0;
            try {
                allocatedEnd = Math.max(BODY_START, target.file().size());
            } catch (IOException e) {
                allocatedEnd = BODY_START;
            }
            rollRequested = false;
            changed.signalAll();
            return last;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the head of the queue may be written now (a roll holds back later records)} */
    private boolean eligible() {
        Pending head = queue.peek();
        return head != null && (!rollRequested || head.ticket <= rollTicket);
    }

    /** Writes one group; called with the lock held, returns with it held. */
    private void lead() {
        leading = true;
        List<Pending> group = new ArrayList<>();
        List<FrameCodec.Body> bodies = new ArrayList<>();
        long frameBytes = FRAME_HEADER_BYTES;
        while (eligible() && (group.isEmpty() || frameBytes + queue.peek().body.recordBytes() <= MAX_FRAME_BYTES)) {
            Pending p = queue.poll();
            group.add(p);
            bodies.add(p.body);
            frameBytes += p.body.recordBytes();
        }
        long firstSeq = nextSeq;
        long syncedThrough = durableSeq;
        WalFiles.Target into = target;
        long at = appendAt;
        int chainTo = previousCrc;
        WalWriteException failure = null;
        lock.unlock();
        try {
            failure = writeGroup(into, at, firstSeq, syncedThrough, chainTo, bodies, (int) frameBytes);
        } catch (RuntimeException | Error e) {
            // Whether the frame reached the file is unknown: no later group may follow it.
            failure = new WalWriteException(WalWriteException.Reason.LOG_FAILED, "the log " + into.file().name()
                    + " failed while a commit group was written (" + e + "); reopen the heap to recover", e);
        } finally {
            lock.lock();
        }
        leading = false;
        if (failure == null) {
            long seq = firstSeq;
            for (Pending p : group) {
                p.seq = seq++;
                p.done = true;
            }
            nextSeq = seq;
            if (policy == SyncPolicy.EACH_GROUP) {
                durableSeq = seq - 1;
            }
            appendAt = at + frameBytes;
            previousCrc = writtenCrc;
            commits += group.size();
            groups++;
            bytes += frameBytes;
        } else {
            failedGroups++;
            if (failure.reason() == WalWriteException.Reason.IO_ERROR) {
                durableSeq = nextSeq - 1; // the void's sync made every earlier frame durable
            }
            for (Pending p : group) {
                p.failure = failure;
                p.done = true;
            }
            if (!failure.reason().logUsable()) {
                failed = failure;
                for (Pending p : queue) {
                    p.failure = failure;
                    p.done = true;
                }
                queue.clear();
            }
        }
        changed.signalAll();
    }

    /** {@return null if the group is durable, else why it failed} (outside the lock; one leader at a time) */
    private WalWriteException writeGroup(WalFiles.Target into, long at, long firstSeq, long syncedThrough,
            int chainTo, List<FrameCodec.Body> bodies, int frameBytes) {
        DiskFile file = into.file();
        try {
            grow(file, at + frameBytes);
        } catch (IOException e) {
            return new WalWriteException(noSpace(e) ? WalWriteException.Reason.NO_SPACE : WalWriteException.Reason.IO_ERROR,
                    "commit group of " + bodies.size() + " records failed: the log " + file.name() + " could not grow"
                    + (noSpace(e) ? " (the file system holding it is full)" : "") + ": " + e.getMessage()
                    + "; nothing of the group was written", e);
        }
        if (buffer.capacity() < frameBytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(frameBytes, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer out = buffer.clear();
        writtenCrc = FrameCodec.encode(out, into.header().salt(), into.header().generation(), firstSeq, syncedThrough,
                chainTo, bodies);
        out.flip();
        try {
            file.write(out, at);
            if (policy == SyncPolicy.EACH_GROUP) {
                file.sync();
            }
            return null;
        } catch (IOException e) {
            try {
                file.write(ByteBuffer.allocate(FRAME_HEADER_BYTES), at);
                file.sync();
            } catch (IOException | RuntimeException voidFailure) {
                e.addSuppressed(voidFailure);
                return new WalWriteException(WalWriteException.Reason.LOG_FAILED, "the log " + file.name()
                        + " failed: writing a commit group failed (" + e.getMessage() + ") and so did voiding it;"
                        + " reopen the heap to recover", e);
            }
            return new WalWriteException(noSpace(e) ? WalWriteException.Reason.NO_SPACE : WalWriteException.Reason.IO_ERROR,
                    "commit group of " + bodies.size() + " records failed: writing the log " + file.name() + " failed ("
                    + e.getMessage() + "); the group was voided", e);
        }
    }

    /** Makes the file at least {@code end} bytes long with zeros, in steps of {@code growthBytes}. */
    private void grow(DiskFile file, long end) throws IOException {
        if (end <= allocatedEnd) {
            return;
        }
        long goal = Math.max(end, allocatedEnd + growthBytes);
        ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
        while (allocatedEnd < goal) {
            int n = (int) Math.min(ZERO_CHUNK, goal - allocatedEnd);
            try {
                file.write(zeros.clear().limit(n), allocatedEnd);
            } catch (IOException e) {
                if (allocatedEnd >= end) {
                    return; // the group fits in what was allocated
                }
                throw e;
            }
            allocatedEnd += n;
        }
    }

    /**
     * Makes every commit that has returned durable (one fdatasync of the receiving file); with
     * {@link SyncPolicy#EACH_GROUP} they already are.
     *
     * @return the last durable sequence
     * @throws WalWriteException {@code LOG_FAILED} if the sync fails: what was written since the last
     *                           successful one is of unknown durability, so the log fails for good
     */
    public long sync() {
        lock.lock();
        try {
            return syncLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Syncs what was written so far; called with the lock held, returns with it held. One sync runs at a
     * time, but groups go on being written meanwhile (a writer never waits for another's fdatasync, as
     * Redis's {@code everysec} never does): the sync claims only the sequences written before it began,
     * and a frame written during it declares the durable sequence as it was before.
     */
    private long syncLocked() {
        while (syncing) {
            changed.awaitUninterruptibly();
        }
        if (failed != null) {
            throw failed;
        }
        long upTo = nextSeq - 1;
        if (upTo <= durableSeq) {
            return durableSeq;
        }
        syncing = true;
        DiskFile file = target.file();
        IOException error = null;
        lock.unlock();
        try {
            file.sync();
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
            syncing = false;
            changed.signalAll();
        }
        if (error != null) {
            failed = new WalWriteException(WalWriteException.Reason.LOG_FAILED, "the log " + file.name()
                    + " failed: fdatasync failed (" + error.getMessage() + "), so the commits since the last one are of"
                    + " unknown durability; reopen the heap to recover", error);
            for (Pending p : queue) {
                p.failure = failed;
                p.done = true;
            }
            queue.clear();
            throw failed;
        }
        durableSeq = Math.max(durableSeq, upTo);
        return durableSeq;
    }

    /** {@return the last sequence whose fdatasync returned} */
    public long durableSeq() {
        lock.lock();
        try {
            return durableSeq;
        } finally {
            lock.unlock();
        }
    }

    private static boolean noSpace(IOException e) {
        String message = e.getMessage();
        return message != null && message.contains("No space left");
    }

    /** {@return the last sequence written (durable with {@link SyncPolicy#EACH_GROUP})} */
    public long lastSeq() {
        lock.lock();
        try {
            return nextSeq - 1;
        } finally {
            lock.unlock();
        }
    }

    /** {@return frame bytes in the receiving file: a checkpoint is due when it passes a bound} */
    public long receivingBytes() {
        lock.lock();
        try {
            return appendAt - BODY_START;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the counters since open} */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(commits, groups, failedGroups, bytes);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the files written to} */
    public WalFiles files() {
        return files;
    }
}
