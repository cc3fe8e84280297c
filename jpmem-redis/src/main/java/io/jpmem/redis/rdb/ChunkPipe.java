package io.jpmem.redis.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The bytes of a save, from the event loop to a file written by a thread of its own: the event
 * loop fills 64 KiB chunks and hands them over a bounded queue (at most 4 MiB in flight: a disk
 * slower than the save blocks the event loop rather than growing memory); the thread writes them
 * to a temporary file, and at the end forces it to disk, renames it over the target and forces
 * the directory, so the target is always either the old file or the whole new one. If writing
 * fails, the thread drains the rest and the save reports the failure; the temporary file is deleted.
 */
final class ChunkPipe extends OutputStream {

    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];
    private static final int CHUNK = 64 * 1024;

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(64);
    private final Path temp;
    private final Path target;
    private final Thread thread;
    private byte[] chunk = new byte[CHUNK];
    private int used;
    private volatile boolean finished;
    private volatile String failure;
    private volatile long bytes;

    ChunkPipe(Path temp, Path target) {
        this.temp = temp;
        this.target = target;
        this.thread = Thread.ofPlatform().daemon().name("jpmem-redis-rdb-writer").start(this::drain);
    }

    private void drain() {
        try (FileChannel file = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (true) {
                byte[] next = take();
                if (next == END) {
                    break;
                }
                if (next == ABORT) {
                    failure = "aborted";
                    deleteTemp();
                    finished = true;
                    return;
                }
                ByteBuffer buffer = ByteBuffer.wrap(next);
                while (buffer.hasRemaining()) {
                    file.write(buffer);
                }
                bytes += next.length;
            }
            file.force(true);
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            for (byte[] next = take(); next != END && next != ABORT; next = take()) {
                // drain until the event loop ends the save
            }
            deleteTemp();
            finished = true;
            return;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            failure = "renaming " + temp + " to " + target + ": " + e.getMessage();
            deleteTemp();
        }
        finished = true;
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the failure is reported already
        }
    }

    private byte[] take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // only the event loop ends this thread, by END or ABORT
            }
        }
    }

    private void put(byte[] b) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(b);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void write(int b) {
        if (used == CHUNK) {
            handOver();
        }
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            if (used == CHUNK) {
                handOver();
            }
            int step = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, chunk, used, step);
            used += step;
            off += step;
            len -= step;
        }
    }

    private void handOver() {
        put(chunk);
        chunk = new byte[CHUNK];
        used = 0;
    }

    @Override
    public void flush() {
        if (used > 0) {
            put(java.util.Arrays.copyOf(chunk, used));
            used = 0;
        }
    }

    /** Ends the stream: the thread forces, renames and finishes. */
    @Override
    public void close() {
        flush();
        put(END);
    }

    /** Ends the stream without a file: the temporary file is deleted. */
    void abort() {
        used = 0;
        put(ABORT);
    }

    /** {@return whether the thread is done (the file renamed into place, or the failure known)} */
    boolean finished() {
        return finished;
    }

    /** {@return why writing failed, or null} */
    String failure() {
        return failure;
    }

    /** {@return the bytes written to the file} */
    long bytes() {
        return bytes;
    }

    /** Waits for the thread. */
    void await() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
