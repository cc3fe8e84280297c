package io.jpmem.heap.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file as the write-ahead log and the checkpointer see it: positional reads and writes, and one
 * barrier. Implemented over a {@link java.nio.channels.FileChannel} ({@link ChannelDiskFile}) and,
 * in tests, by a simulated block device whose unsynced writes may be lost or torn at a crash.
 *
 * <h2>What is durable when</h2>
 * A {@link #write} reaches the page cache only: after a power loss any subset of the 512-byte
 * sectors written since the last {@link #sync} may hold their new contents, their old ones, or the
 * contents of any earlier unsynced write to them. When {@link #sync} returns, every write to this
 * file that returned before it started is durable (fdatasync). A sync orders nothing in other files.
 * Implementations are safe for concurrent use: a write and a sync may run on two threads at once.
 */
public interface DiskFile extends AutoCloseable {

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code position}; bytes beyond the end of the file
     * read as zeros, so the buffer is always filled.
     *
     * @throws IOException if the operating system refuses the read
     */
    void read(ByteBuffer dst, long position) throws IOException;

    /**
     * Writes all of {@code src} at {@code position}, growing the file if needed. Not durable until a
     * later {@link #sync} returns.
     *
     * @throws IOException if the write fails (for instance the file system is full); some of the
     *                     bytes may have been written
     */
    void write(ByteBuffer src, long position) throws IOException;

    /**
     * The barrier: makes every write that returned before this call durable, and the file's length
     * with it (fdatasync).
     *
     * @throws IOException if the device reports a failure; what was written since the last
     *                     successful sync is then of unknown durability
     */
    void sync() throws IOException;

    /** {@return the file's length in bytes} @throws IOException if it cannot be read */
    long size() throws IOException;

    /** {@return a name for messages (the path)} */
    String name();

    @Override
    void close() throws IOException;
}
