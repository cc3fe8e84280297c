package io.jpmem.heap.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The steps of a checkpoint, driven by the engine, which moves the heap file forward and lets the
 * log start a fresh generation. In order:
 *
 * <ol>
 *   <li>{@link #arm()} (any time before, outside any pause): the spare log file gets the next
 *       generation's header, durably.</li>
 *   <li>{@link #roll()} (while the engine holds its commits back and snapshots the dirty pages): later
 *       records go to the spare; returns R, the sequence the snapshot must reflect. No I/O, except
 *       one fdatasync of the old file if it holds unsynced frames.</li>
 *   <li>{@link #writePages} (in the background): pwrite each page of the snapshot into the heap
 *       file, then fdatasync the heap file.</li>
 *   <li>{@link #complete()}: the new file's header says {@code CHECKPOINTED} at R, durably (the
 *       checkpoint's commit point); the old file becomes the spare, to be armed for the next one.</li>
 * </ol>
 *
 * <h2>Why every crash is recoverable</h2>
 * Until step 4 is durable, the old file still holds every record after the previous checkpoint, so a
 * crash during step 3 (heap pages torn, some old, some new) is repaired by replaying them. After it,
 * the heap file durably holds every record up to R. The heap file is never written before the
 * records of what it receives are durable (the roll waits for them). A failed step throws and leaves
 * the log as it was before the step; it can be retried.
 *
 * <p>Thread-safe; steps are serialized.
 */
public final class Checkpointer {

    private final WriteAheadLog wal;
    private final WalFiles files;
    private final DiskFile heapFile;
    private boolean pagesWritten;

    /** A checkpointer for the heap file {@code heapFile} logged by {@code wal}. */
    public Checkpointer(WriteAheadLog wal, DiskFile heapFile) {
        this.wal = wal;
        this.files = wal.files();
        this.heapFile = heapFile;
    }

    /**
     * Arms the spare log file if it is not armed yet (one header write and fdatasync).
     *
     * @throws IllegalStateException if a checkpoint is under way
     * @throws IOException           if writing or syncing the header fails
     */
    public synchronized void arm() throws IOException {
        if (!files.spareArmed()) {
            files.arm();
        }
    }

    /**
     * Sends later records to the armed spare once every record queued before is durable.
     *
     * @return R, the last sequence the pages written next must reflect (durable when this returns)
     * @throws IllegalStateException if the spare is not armed, or a checkpoint is under way
     * @throws WalWriteException     if the log fails making the records up to R durable
     */
    public synchronized long roll() {
        long r = wal.roll();
        pagesWritten = false;
        return r;
    }

    /**
     * Writes {@code ranges} of the heap, read from {@code source}, into the heap file with positional
     * writes, then fdatasyncs it. The source must hold every record up to the roll's sequence and no
     * uncommitted store; it may hold later durable records (replay applies them again).
     *
     * @throws IllegalStateException if there was no roll
     * @throws IOException           if a read, write or the sync fails (the checkpoint can be retried)
     */
    public synchronized void writePages(List<PageSource.Range> ranges, PageSource source) throws IOException {
        if (!files.rolled()) {
            throw new IllegalStateException("roll before writing pages");
        }
        ByteBuffer page = ByteBuffer.allocate(0);
        for (PageSource.Range range : ranges) {
            if (page.capacity() < range.byteSize()) {
                page = ByteBuffer.allocate(range.byteSize());
            }
            page.clear().limit(range.byteSize());
            source.read(range.heapOffset(), page);
            page.flip();
            heapFile.write(page, range.heapOffset());
        }
        heapFile.sync();
        pagesWritten = true;
    }

    /**
     * The checkpoint's commit point: marks the receiving file {@code CHECKPOINTED} at the roll's sequence.
     *
     * @throws IllegalStateException if no pages were written since the roll
     * @throws IOException           if writing or syncing the header fails (the checkpoint is then not
     *                               complete; recovery would still replay from the previous one)
     */
    public synchronized void complete() throws IOException {
        if (!pagesWritten) {
            throw new IllegalStateException("write the pages of the roll before completing it");
        }
        files.complete();
        pagesWritten = false;
    }

    /** {@return whether a checkpoint is under way (rolled and not complete)} */
    public boolean underWay() {
        return files.rolled();
    }
}
