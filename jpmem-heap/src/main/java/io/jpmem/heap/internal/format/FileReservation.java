package io.jpmem.heap.internal.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Reserves the disk blocks of ranges of a heap file (what the allocator's chunk reserver needs): libc {@code posix_fallocate} through FFM, on a descriptor of
 * its own (the JDK does not expose a {@code FileChannel}'s). Allocating blocks that the file already
 * has changes nothing, so reserving a chunk that was in use before costs one system call. On a
 * system without {@code posix_fallocate}, or a file system that does not support it
 * ({@code EOPNOTSUPP}), reservation is skipped and the old risk stays (said in the log once).
 */
@SuppressWarnings("restricted") // native downcalls on purpose; the launchers grant --enable-native-access
public final class FileReservation implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jpmem.heap");
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;
    private static final int EOPNOTSUPP = 95;

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FALLOCATE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        OPEN = libc.find("open").map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2)))
                .orElse(null);
        CLOSE = libc.find("close").map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT))).orElse(null);
        FALLOCATE = libc.find("posix_fallocate").map(s -> linker.downcallHandle(s, FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG))).orElse(null);
    }

    private final Path path;
    private final int fd;
    private volatile boolean unsupported;

    private FileReservation(Path path, int fd) {
        this.path = path;
        this.fd = fd;
        this.unsupported = fd < 0;
    }

    /**
     * Opens a descriptor of {@code path} for reservations.
     *
     * @throws UncheckedIOException if the file cannot be opened for writing
     */
    public static FileReservation open(Path path) {
        if (OPEN == null || FALLOCATE == null || CLOSE == null) {
            return new FileReservation(path, -1);
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(path.toString()), O_RDWR | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new UncheckedIOException(new IOException("cannot open " + path + " to reserve its space"));
            }
            return new FileReservation(path, fd);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open(2) of " + path + " failed", t);
        }
    }

    /** {@return whether the file system now holds {@code [offset, offset + byteSize)}; false if it is full} */
    public boolean reserve(long offset, long byteSize) {
        if (unsupported) {
            return true;
        }
        int rc;
        try {
            rc = (int) FALLOCATE.invokeExact(fd, offset, byteSize);
        } catch (Throwable t) {
            throw new IllegalStateException("posix_fallocate of " + path + " failed", t);
        }
        if (rc == 0) {
            return true;
        }
        if (rc == ENOSPC || rc == EDQUOT) {
            return false;
        }
        if (rc == EOPNOTSUPP) {
            unsupported = true;
            LOG.log(System.Logger.Level.WARNING, "jpmem: the file system of " + path + " cannot reserve space"
                    + " (posix_fallocate: EOPNOTSUPP); a full file system will stop the JVM instead of failing an allocation");
            return true;
        }
        throw new UncheckedIOException(new IOException("posix_fallocate of " + path + " at " + offset + " failed: errno " + rc));
    }

    /** Closes the descriptor. */
    @Override
    public void close() {
        if (fd >= 0) {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }
}
