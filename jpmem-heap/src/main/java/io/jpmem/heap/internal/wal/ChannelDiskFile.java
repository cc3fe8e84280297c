package io.jpmem.heap.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link DiskFile} over a {@link FileChannel}: {@code write} is {@code pwrite},
 * {@code sync} is {@code force(false)}, which is {@code fdatasync} on Linux.
 */
public final class ChannelDiskFile implements DiskFile {

    private final Path path;
    private final FileChannel channel;
    /** Whether {@link #close} closes the channel (not for a borrowed one). */
    private final boolean owned;

    private ChannelDiskFile(Path path, FileChannel channel, boolean owned) {
        this.path = path;
        this.channel = channel;
        this.owned = owned;
    }

    private ChannelDiskFile(Path path, FileChannel channel) {
        this(path, channel, true);
    }

    /**
     * A disk file over a channel someone else owns (a heap's file, whose channel holds its lock):
     * {@link #close} leaves it open.
     */
    public static ChannelDiskFile borrowing(Path path, FileChannel channel) {
        return new ChannelDiskFile(path, channel, false);
    }

    /**
     * Opens an existing file for reading and writing.
     *
     * @throws NoSuchFileException if there is no file at {@code path}
     * @throws IOException         if it cannot be opened
     */
    public static ChannelDiskFile open(Path path) throws IOException {
        return new ChannelDiskFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /**
     * Creates a new empty file (never replacing one) and makes its directory entry durable.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the name is taken
     * @throws IOException                              if it cannot be created
     */
    public static ChannelDiskFile create(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW);
        try {
            channel.force(true);
            Path dir = path.toAbsolutePath().getParent();
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new ChannelDiskFile(path, channel);
    }

    @Override
    public void read(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            at += n;
        }
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    @Override
    public void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            channel.close();
        }
    }
}
