package io.jpmem.heap.testing;

import io.jpmem.heap.internal.format.Checksums;
import io.jpmem.heap.internal.format.HeapFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes bytes into a file behind the heap's back, to make damaged heaps for tests. */
public final class FilePatch {

    private FilePatch() {}

    public static void writeLong(Path file, long offset, long value) throws IOException {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    public static void writeInt(Path file, long offset, int value) throws IOException {
        write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    public static void write(Path file, long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes, offset + bytes.position());
            }
        }
    }

    public static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // fill
            }
            return buffer.array();
        }
    }

    /** Flips one bit of the byte at {@code offset}. */
    public static void flipBit(Path file, long offset) throws IOException {
        byte[] one = read(file, offset, 1);
        one[0] ^= 0x10;
        write(file, offset, ByteBuffer.wrap(one));
    }

    /** Sets a header copy's format version and re-seals its checksum, as a newer jpmem would write it. */
    public static void setHeaderVersion(Path file, int copy, int version) throws IOException {
        long base = HeapFormat.HEADER_COPY_OFFSETS[copy];
        byte[] header = read(file, base, HeapFormat.HEADER_RECORD_BYTES);
        ByteBuffer buffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(HeapFormat.H_VERSION, version);
        buffer.putInt(HeapFormat.H_CHECKSUM, Checksums.crc32c(header, 0, HeapFormat.H_CHECKSUM));
        write(file, base, ByteBuffer.wrap(header));
    }
}
