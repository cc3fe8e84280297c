package io.jpmem.heap.internal;

import static io.jpmem.heap.internal.format.HeapFormat.FLAG_WAL;
import static io.jpmem.heap.internal.format.HeapFormat.PAGE_BYTES;

import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.LogSync;
import io.jpmem.heap.internal.format.HeaderWriter;
import io.jpmem.heap.internal.format.HeapHeader;
import io.jpmem.heap.internal.tx.TransactionManager;
import io.jpmem.heap.internal.wal.AfterImage;
import io.jpmem.heap.internal.wal.ChannelDiskFile;
import io.jpmem.heap.internal.wal.Checkpointer;
import io.jpmem.heap.internal.wal.DiskFile;
import io.jpmem.heap.internal.wal.LogReplay;
import io.jpmem.heap.internal.wal.PageSource;
import io.jpmem.heap.internal.wal.RecoveredLog;
import io.jpmem.heap.internal.wal.WalFiles;
import io.jpmem.heap.internal.wal.WalFormat;
import io.jpmem.heap.internal.wal.WalOpenException;
import io.jpmem.heap.internal.wal.WalRecovery;
import io.jpmem.heap.internal.wal.WriteAheadLog;
import io.jpmem.persist.Ranges;
import io.jpmem.persist.WalDomain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A heap's write-ahead log and its checkpoints: what makes a heap on ordinary storage durable at the
 * cost of one log append and one fdatasync per group of commits (docs/ARCHITECTURE.md, 3j).
 *
 * <p>The heap is mapped privately (copy-on-write), so its file changes only here. Commits reach this
 * class through the {@link WalDomain} as after-images ({@link #append}); the pages they touch are
 * remembered; a checkpoint (by log size, by time, and at close) writes those pages to the heap file
 * with positional writes, fdatasyncs it, starts the other log file, and drops the written pages from
 * the private mapping ({@code madvise(MADV_DONTNEED)}), so the process's resident memory stays the
 * dataset's working set plus what changed since the last checkpoint.
 *
 * <h2>Open</h2>
 * {@link #replay} then {@link #beginWriting}. A heap already logged ({@link io.jpmem.heap.internal.format.HeapFormat#FLAG_WAL}) has its log read
 * (refused with {@link HeapOpenException.Reason#BAD_LOG}, files unchanged, if it is missing, foreign,
 * damaged or shorter than the header says) and the records after the last checkpoint replayed into the
 * mapping. A heap not yet logged gets two new log files, and the flag, before its first record.
 *
 * <h2>Checkpoints</h2>
 * Run with no transaction in progress (new ones wait): arm the spare file, roll (later records go to
 * it; R is durable), write the pages, fdatasync, mark the new file checkpointed at R (the commit point).
 * A crash at any step is recovered by replaying the old file over whatever pages were written.
 *
 * <p>Thread-safe.
 */
public final class HeapLog implements WalDomain.Journal, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jpmem.heap");
    private static final int MADV_DONTNEED = 4;
    @SuppressWarnings("restricted") // madvise(addr, len, MADV_DONTNEED) on a range of our own mapping
    private static final MethodHandle MADVISE = Linker.nativeLinker().defaultLookup().find("madvise")
            .map(address -> Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)))
            .orElse(null);

    /** The two log files of the heap file at {@code heapPath}: {@code <name>.wal-0} and {@code .wal-1}. */
    public static List<Path> logFiles(Path heapPath) {
        String name = heapPath.getFileName().toString();
        return List.of(heapPath.resolveSibling(name + ".wal-0"), heapPath.resolveSibling(name + ".wal-1"));
    }

    private final Path heapPath;
    private final MemorySegment mapping;
    private final HeapLayout layout;
    private final LogSync sync;
    private final long checkpointBytes;
    private final long checkpointNanos;
    private final FileChannel heapChannel;
    /** Pages changed since the last checkpoint; guarded by the domain's commit lock (appends hold it). */
    private BitSet dirtyPages = new BitSet();
    private WriteAheadLog wal;
    /** What {@link #replay} read, until {@link #beginWriting} takes it over. */
    private RecoveredLog recovered;
    private Checkpointer checkpointer;
    private TransactionManager transactions;
    private WalDomain domain;
    private final ReentrantLock background = new ReentrantLock();
    private final Condition wake = background.newCondition();
    private boolean stopping;
    private boolean checkpointWanted;
    private Thread checkpointThread;
    private Thread syncThread;
    private long replayedRecords;
    private long checkpoints;
    private volatile RuntimeException backgroundFailure;
    /** Monitors a checkpoint holds: those of the heap's stores outside transactions (roots, types). */
    private Object[] monitors = {};
    /** Raw stores outside transactions were made: checkpoints keep written pages resident (see dropFromMemory). */
    private volatile boolean rawStores;

    /**
     * A log for the heap file at {@code heapPath}, mapped privately as {@code mapping}; nothing is read
     * or written until {@link #open}.
     */
    HeapLog(Path heapPath, FileChannel heapChannel, MemorySegment mapping, HeapLayout layout, LogSync sync) {
        this.heapPath = heapPath;
        this.heapChannel = heapChannel;
        this.mapping = mapping;
        this.layout = layout;
        this.sync = sync;
        this.checkpointBytes = Math.clamp(layout.maxByteSize() / 64, 256L << 10, 64L << 20);
        this.checkpointNanos = TimeUnit.SECONDS.toNanos(Long.getLong("jpmem.wal.checkpointSeconds", 60));
    }

    /**
     * Replays the log of a heap already logged into the mapping (reading the log files only); nothing
     * for a heap not yet logged. Run before anything reads the mapping.
     *
     * @throws HeapOpenException {@code BAD_LOG} if the log is refused (nothing changed), {@code IO_ERROR}
     */
    void replay(HeapHeader h) {
        if (!h.walLogged()) {
            return;
        }
        List<Path> files = logFiles(heapPath);
        try {
            recovered = WalRecovery.open(files.get(0), files.get(1), h.heapId(), layout.maxByteSize(), h.walSeq());
        } catch (WalOpenException e) {
            throw new HeapOpenException(heapPath, HeapOpenException.Reason.BAD_LOG, e.getMessage(), e);
        }
        try {
            BitSet replayedPages = new BitSet();
            LogReplay.apply(recovered, (offset, bytes) -> {
                int length = bytes.remaining();
                MemorySegment.copy(MemorySegment.ofBuffer(bytes), 0, mapping, offset, length);
                markPages(replayedPages, offset, length);
            });
            dirtyPages = replayedPages;
            replayedRecords = recovered.recordCount();
        } catch (IOException e) {
            closeRecovered();
            throw new HeapOpenException(heapPath, HeapOpenException.Reason.IO_ERROR,
                    "reading the write-ahead log: " + e.getMessage(), e);
        }
        if (!recovered.notes().isEmpty()) {
            List<String> notes = recovered.notes();
            LOG.log(System.Logger.Level.INFO, () -> "jpmem: log of " + heapPath + ": " + String.join("; ", notes));
        }
    }

    private void closeRecovered() {
        try {
            recovered.files().close();
        } catch (IOException ignored) {
            // refusing or failing already
        }
    }

    /**
     * Starts appending: after the replayed log (finishing a checkpoint found under way), or, for a heap
     * not yet logged, in two new log files, after {@code header} got the {@code FLAG_WAL} flag. Run after
     * the heap's structures were checked, so a refused heap is never changed.
     *
     * @throws HeapOpenException {@code IO_ERROR} if the log cannot be written (a full disk, say)
     */
    void beginWriting(HeaderWriter header) {
        HeapHeader h = header.current();
        List<Path> files = logFiles(heapPath);
        long growth = Math.clamp(checkpointBytes / 4, 64L << 10, 16L << 20);
        WriteAheadLog.SyncPolicy policy = sync == LogSync.ALWAYS ? WriteAheadLog.SyncPolicy.EACH_GROUP
                : WriteAheadLog.SyncPolicy.ON_REQUEST;
        try {
            if (recovered != null) {
                preGrow(recovered.files());
                wal = WriteAheadLog.ofRecovered(recovered, growth, policy);
            } else {
                for (Path stale : files) {
                    Files.deleteIfExists(stale); // left by a crash before the flag below was written
                }
                WalFiles created = WalFiles.create(ChannelDiskFile.create(files.get(0)),
                        ChannelDiskFile.create(files.get(1)), h.heapId());
                preGrow(created);
                wal = WriteAheadLog.ofNew(created, growth, policy);
                header.write(h.nextWal(h.flags() | FLAG_WAL, 0));
            }
        } catch (IOException e) {
            throw new HeapOpenException(heapPath, HeapOpenException.Reason.IO_ERROR,
                    "the write-ahead log: " + e.getMessage(), e);
        }
        checkpointer = new Checkpointer(wal, ChannelDiskFile.borrowing(heapPath, heapChannel));
        if (checkpointer.underWay()) {
            // A crash came between a checkpoint's roll and its commit point: memory now holds every
            // record of both files, so writing the pages they touched completes it.
            try {
                List<PageSource.Range> ranges = ranges(dirtyPages);
                checkpointer.writePages(ranges, this::readMapping);
                checkpointer.complete();
                dirtyPages = new BitSet();
                dropFromMemory(ranges);
            } catch (IOException e) {
                throw new HeapOpenException(heapPath, HeapOpenException.Reason.IO_ERROR,
                        "finishing the checkpoint under way: " + e.getMessage(), e);
            }
        }
    }

    private void readMapping(long offset, ByteBuffer dst) {
        dst.put(mapping.asSlice(offset, dst.remaining()).asByteBuffer());
    }

    /**
     * Replays the log of a heap into a private copy-on-write mapping, reading the log only (for a
     * check of a heap that was not closed cleanly: it sees what the next open would).
     *
     * @return the number of records replayed
     * @throws HeapOpenException {@code BAD_LOG} if the log is refused
     */
    static long replayPrivately(Path heapPath, MemorySegment mapping, HeapHeader h, HeapLayout layout) {
        List<Path> files = logFiles(heapPath);
        RecoveredLog log;
        try {
            log = WalRecovery.open(files.get(0), files.get(1), h.heapId(), layout.maxByteSize(), h.walSeq());
        } catch (WalOpenException e) {
            throw new HeapOpenException(heapPath, HeapOpenException.Reason.BAD_LOG, e.getMessage(), e);
        }
        try {
            LogReplay.apply(log, (offset, bytes) ->
                    MemorySegment.copy(MemorySegment.ofBuffer(bytes), 0, mapping, offset, bytes.remaining()));
            return log.recordCount();
        } catch (IOException e) {
            throw new HeapOpenException(heapPath, HeapOpenException.Reason.IO_ERROR,
                    "reading the write-ahead log: " + e.getMessage(), e);
        } finally {
            try {
                log.files().close();
            } catch (IOException ignored) {
                // read only; nothing to lose
            }
        }
    }

    /** Writes zeros up to the working size of each log file now, so that appends rarely meet a full disk. */
    private void preGrow(WalFiles files) throws IOException {
        long target = WalFormat.BODY_START + checkpointBytes + checkpointBytes / 4;
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < 2; i++) {
            DiskFile file = files.file(i);
            for (long at = file.size(); at < target; at += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), target - at));
                file.write(zeros, at);
            }
            file.sync();
        }
    }

    /** Starts the background checkpoints (and the one-second sync of {@code everysec}). */
    void start(WalDomain walDomain, TransactionManager manager, Object... storeMonitors) {
        this.domain = walDomain;
        this.transactions = manager;
        this.monitors = storeMonitors.clone();
        checkpointThread = Thread.ofPlatform().daemon().name("jpmem-checkpoint " + heapPath.getFileName())
                .start(this::checkpointLoop);
        if (sync == LogSync.EVERYSEC) {
            syncThread = Thread.ofPlatform().daemon().name("jpmem-log-sync " + heapPath.getFileName())
                    .start(this::syncLoop);
        }
    }

    // ------------------------------------------------------------------ the journal

    @Override
    public Object append(MemorySegment view, Ranges ranges) {
        List<AfterImage> images = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            long start = ranges.start(i);
            long length = ranges.byteSize(i);
            for (long at = start; at < start + length; at += 1 << 20) {
                int piece = (int) Math.min(1 << 20, start + length - at);
                images.add(new AfterImage(at, view.asSlice(at, piece).toArray(ValueLayout.JAVA_BYTE)));
            }
            markPages(dirtyPages, start, length);
        }
        return wal.append(images);
    }

    @Override
    public void await(Object ticket) {
        wal.await((WriteAheadLog.Pending) ticket);
        if (wal.receivingBytes() > checkpointBytes) {
            requestCheckpoint();
        }
    }

    @Override
    public long maxRecordBytes() {
        return WalFormat.MAX_FRAME_BYTES / 2;
    }

    private static void markPages(BitSet pages, long offset, long length) {
        pages.set((int) (offset / PAGE_BYTES), (int) ((offset + length - 1) / PAGE_BYTES) + 1);
    }

    // ------------------------------------------------------------------ checkpoints

    private void requestCheckpoint() {
        background.lock();
        try {
            checkpointWanted = true;
            wake.signalAll();
        } finally {
            background.unlock();
        }
    }

    private void checkpointLoop() {
        long last = System.nanoTime();
        while (true) {
            background.lock();
            try {
                long left = checkpointNanos - (System.nanoTime() - last);
                while (!stopping && !checkpointWanted && left > 0) {
                    left = wake.awaitNanos(left);
                }
                if (stopping) {
                    return;
                }
                checkpointWanted = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                background.unlock();
            }
            try {
                if (hasDirtyPages() && !transactions.runQuiescent(this::checkpointNow, 200)) {
                    requestCheckpoint(); // transactions did not pause in time: try again shortly
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IllegalStateException | io.jpmem.heap.HeapCorruptedException closing) {
                return; // the heap is closing or failed: close makes the last checkpoint (or none)
            } catch (RuntimeException e) {
                backgroundFailure = e;
                LOG.log(System.Logger.Level.WARNING, "jpmem: checkpoint of " + heapPath + " failed: " + e
                        + "; the log keeps every commit and the next checkpoint tries again", e);
            }
            last = System.nanoTime();
        }
    }

    private boolean hasDirtyPages() {
        boolean[] any = {false};
        domain.whileNoRecordIsTaken(() -> any[0] = !dirtyPages.isEmpty());
        return any[0];
    }

    private void syncLoop() {
        while (true) {
            background.lock();
            try {
                if (!stopping) {
                    wake.await(1, TimeUnit.SECONDS);
                }
                if (stopping) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                background.unlock();
            }
            try {
                wal.sync();
            } catch (RuntimeException e) {
                backgroundFailure = e;
                LOG.log(System.Logger.Level.ERROR, "jpmem: the one-second sync of the log of " + heapPath + " failed: " + e, e);
                return;
            }
        }
    }

    /**
     * A checkpoint; the caller guarantees no transaction is in progress.
     *
     * @return the log sequence the heap file holds now
     */
    private synchronized long checkpointNow() {
        return holding(0);
    }

    private long holding(int monitor) {
        if (monitor < monitors.length) {
            synchronized (monitors[monitor]) {
                return holding(monitor + 1);
            }
        }
        try {
            checkpointer.arm();
            long[] rolledTo = {0};
            BitSet[] pages = {null};
            domain.whileNoRecordIsTaken(() -> {
                rolledTo[0] = checkpointer.roll();
                pages[0] = dirtyPages;
                dirtyPages = new BitSet();
            });
            List<PageSource.Range> ranges = ranges(pages[0]);
            checkpointer.writePages(ranges, this::readMapping);
            checkpointer.complete();
            dropFromMemory(ranges);
            checkpoints++;
            return rolledTo[0];
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint of " + heapPath + " failed", e);
        }
    }

    private static List<PageSource.Range> ranges(BitSet pages) {
        List<PageSource.Range> ranges = new ArrayList<>();
        int maxPages = (1 << 20) / PAGE_BYTES;
        for (int page = pages.nextSetBit(0); page >= 0; ) {
            int end = pages.nextClearBit(page);
            for (int at = page; at < end; at += maxPages) {
                int count = Math.min(maxPages, end - at);
                ranges.add(new PageSource.Range((long) at * PAGE_BYTES, count * PAGE_BYTES));
            }
            page = pages.nextSetBit(end);
        }
        return ranges;
    }

    /** Tells the checkpoints that a raw store outside any transaction was made. */
    void noteRawStore() {
        if (!rawStores) {
            rawStores = true;
        }
    }

    /**
     * The written pages now equal the file: drop their private copies (they read back from the file),
     * so resident memory stays what changed since the last checkpoint plus what is read. Safe only if
     * nothing stores into them meanwhile: transactions are paused and the roots' and types' monitors
     * are held, but a raw store outside a transaction could land between the page's write and its drop
     * and be lost from memory; so once the program has made one, pages stay resident.
     */
    private void dropFromMemory(List<PageSource.Range> ranges) {
        if (MADVISE == null || rawStores) {
            return;
        }
        for (PageSource.Range range : ranges) {
            try {
                int rc = (int) MADVISE.invokeExact(mapping.asSlice(range.heapOffset(), range.byteSize()),
                        (long) range.byteSize(), MADV_DONTNEED);
                if (rc != 0) {
                    return; // the pages stay resident; nothing is lost
                }
            } catch (Throwable t) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ close and state

    /** Stops the background threads; waits for them. */
    void stopBackground() {
        background.lock();
        try {
            stopping = true;
            wake.signalAll();
        } finally {
            background.unlock();
        }
        for (Thread t : new Thread[] {checkpointThread, syncThread}) {
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * The checkpoint of a clean close (no transaction in progress, none can begin).
     *
     * @return the log sequence the heap file holds, for the header
     */
    long checkpointForClose() {
        return checkpointNow();
    }

    /** {@return records replayed at open} */
    public long replayedRecords() {
        return replayedRecords;
    }

    /** {@return checkpoints completed since open} */
    public long checkpoints() {
        return checkpoints;
    }

    /** {@return the sync level} */
    public LogSync sync() {
        return sync;
    }

    /** {@return the log's counters} */
    public WriteAheadLog.Stats stats() {
        return wal.stats();
    }

    /** {@return the failure of the last background checkpoint or sync, or null} */
    public RuntimeException backgroundFailure() {
        return backgroundFailure;
    }

    /** Closes the log files (not the heap file). */
    @Override
    public void close() {
        stopBackground();
        if (wal == null && recovered != null) {
            closeRecovered();
        }
        if (wal != null) {
            try {
                wal.files().close();
            } catch (IOException ignored) {
                // everything acknowledged is durable already; closing releases descriptors only
            }
        }
    }
}
