package io.jpmem.heap.internal.format;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.AccessMode;
import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapOpenException.Reason;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.internal.format.HeaderSelection;
import io.jpmem.heap.internal.format.HeapHeader;
import io.jpmem.persist.Durability;
import io.jpmem.persist.PersistenceDomain;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Creating, locking, validating and mapping heap files. Every check that can refuse a file runs
 * before anything is written to it, so a refused file is left byte-for-byte unchanged.
 */
public final class HeapFiles {

    private HeapFiles() {}

    /** An open, locked, validated and mapped file; owned by a {@link io.jpmem.heap.PersistentHeap}. */
    public record Mapped(FileChannel channel, FileLock lock, Arena arena, MemorySegment segment, boolean syncMapping,
                  HeaderSelection.Selected selection, boolean walMapping) {

        public void release() {
            try {
                if (arena.scope().isAlive()) {
                    arena.close();
                }
            } finally {
                closeQuietly(channel); // also releases the lock
            }
        }
    }

    /**
     * Writes a new heap file. It is built under a temporary name, forced to disk, and linked into
     * place only when complete, so a crash during create never leaves a half-made heap at the path.
     */
    public static void create(Path path, HeapOptions options) {
        HeapLayout layout = options.layout();
        if (Files.exists(path)) {
            throw new HeapOpenException(path, Reason.ALREADY_EXISTS, "", null);
        }
        Path dir = path.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + path.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                // Reserve the metadata's disk space now; the object area stays a hole until used.
                ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(layout.metadataByteSize(), 1 << 20));
                for (long at = 0; at < layout.metadataByteSize(); at += zeros.capacity()) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), layout.metadataByteSize() - at));
                    writeFully(channel, zeros, at);
                }
                writeFully(channel, ByteBuffer.allocate(1), layout.maxByteSize() - 1); // sparse to full length
                long now = System.currentTimeMillis();
                HeapHeader first = new HeapHeader(1, UUID.randomUUID(), now, layout, FLAG_CLEAN_SHUTDOWN, 0, 0, 0);
                HeapHeader second = first.next(FLAG_CLEAN_SHUTDOWN, 0, 0, 0);
                writeFully(channel, ByteBuffer.wrap(first.encode()), HEADER_COPY_OFFSETS[1]);
                writeFully(channel, ByteBuffer.wrap(second.encode()), HEADER_COPY_OFFSETS[0]);
                channel.force(true);
            }
            try {
                Files.createLink(path, temp); // fails if the path appeared meanwhile: never replaces
            } catch (UnsupportedOperationException | IOException noHardLinks) {
                if (noHardLinks instanceof FileAlreadyExistsException) {
                    throw noHardLinks;
                }
                Files.move(temp, path); // without REPLACE_EXISTING: refuses an existing path
            }
            syncDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new HeapOpenException(path, Reason.ALREADY_EXISTS, "", e);
        } catch (IOException e) {
            throw new HeapOpenException(path, Reason.IO_ERROR, e.toString(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stray temporary file is harmless; it is never opened as a heap
            }
        }
    }

    /** Opens, locks, validates the headers and maps a heap file, with a write-ahead log where one applies. */
    public static Mapped open(Path path, AccessMode mode, Durability durability) {
        return open(path, mode, durability, true);
    }

    /**
     * Opens, locks, validates the headers and maps a heap file.
     *
     * <p>With {@code allowWal}, a read-write open maps the file privately for a write-ahead log
     * ({@link Mapped#walMapping()}) if the heap already has one, or if {@code POWER} is asked for and
     * the file is neither a {@code MAP_SYNC} (DAX) file nor persistent memory as libpmem sees it.
     */
    public static Mapped open(Path path, AccessMode mode, Durability durability, boolean allowWal) {
        if (!Files.exists(path)) {
            throw new HeapOpenException(path, Reason.NOT_FOUND, "", null);
        }
        Set<StandardOpenOption> openOptions = mode == AccessMode.READ_ONLY
                ? EnumSet.of(StandardOpenOption.READ)
                : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, openOptions);
        } catch (AccessDeniedException e) {
            throw new HeapOpenException(path, Reason.IO_ERROR, "permission denied for " + openOptions, e);
        } catch (NoSuchFileException e) {
            throw new HeapOpenException(path, Reason.NOT_FOUND, "", e);
        } catch (IOException e) {
            throw new HeapOpenException(path, Reason.IO_ERROR, e.toString(), e);
        }
        Arena arena = null;
        try {
            FileLock lock = lock(path, channel, mode != AccessMode.READ_WRITE);
            HeaderSelection.Result result = HeaderSelection.select(channel);
            if (result instanceof HeaderSelection.Refused refused) {
                throw new HeapOpenException(path, refused.reason(), refused.detail(), null);
            }
            HeaderSelection.Selected selected = (HeaderSelection.Selected) result;
            long size = selected.header().layout().maxByteSize();
            arena = Arena.ofShared();
            boolean sync = false;
            MemorySegment segment = null;
            if (mode == AccessMode.READ_WRITE && durability == Durability.POWER) {
                segment = mapSync(channel, size, arena);
                sync = segment != null;
            }
            boolean wal = false;
            if (segment == null && mode == AccessMode.READ_WRITE && allowWal && durability != Durability.SIMULATED) {
                wal = selected.header().walLogged()
                        || durability == Durability.POWER && !persistentMemory(channel, size);
                if (wal) {
                    segment = channel.map(FileChannel.MapMode.PRIVATE, 0, size, arena);
                }
            }
            if (segment == null) {
                FileChannel.MapMode mapMode = switch (mode) {
                    case READ_WRITE -> FileChannel.MapMode.READ_WRITE;
                    case READ_ONLY -> FileChannel.MapMode.READ_ONLY;
                    case PRIVATE_COPY -> FileChannel.MapMode.PRIVATE;
                };
                segment = channel.map(mapMode, 0, size, arena);
            }
            return new Mapped(channel, lock, arena, segment, sync, selected, wal);
        } catch (HeapOpenException e) {
            closeArenaQuietly(arena);
            closeQuietly(channel);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeArenaQuietly(arena);
            closeQuietly(channel);
            throw new HeapOpenException(path, Reason.IO_ERROR, e.toString(), e);
        }
    }

    /** Whether libpmem says a shared mapping of the file is persistent memory (checked on a mapping of its own). */
    private static boolean persistentMemory(FileChannel channel, long size) throws IOException {
        try (Arena probe = Arena.ofConfined()) {
            return PersistenceDomain.isPersistentMemory(channel.map(FileChannel.MapMode.READ_WRITE, 0, size, probe));
        }
    }

    /** Maps with MAP_SYNC, which only a DAX file (real persistent memory) accepts; null elsewhere. */
    private static MemorySegment mapSync(FileChannel channel, long size, Arena arena) {
        try {
            return channel.map(jdk.nio.mapmode.ExtendedMapMode.READ_WRITE_SYNC, 0, size, arena);
        } catch (IOException | UnsupportedOperationException notDax) {
            return null;
        }
    }

    private static FileLock lock(Path path, FileChannel channel, boolean shared) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            throw new HeapOpenException(path, Reason.LOCKED, "already open in this JVM", e);
        }
        if (lock == null) {
            throw new HeapOpenException(path, Reason.LOCKED, shared
                    ? "another process has it open read-write" : "another process has it open", null);
        }
        return lock;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a directory be opened and synced; the link is then as
            // durable as the file system makes it
        }
    }

    private static void closeArenaQuietly(Arena arena) {
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock; nothing else to do
        }
    }
}
