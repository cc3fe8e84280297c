package io.jpmem.heap.internal.format;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC32C, the one checksum of the file format (hardware-accelerated by the JDK). */
public final class Checksums {

    private Checksums() {}

    public static int crc32c(byte[] bytes) {
        return crc32c(bytes, 0, bytes.length);
    }

    public static int crc32c(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }

    /** CRC32C of {@code segment}, read without copying. */
    public static int crc32c(MemorySegment segment) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asByteBuffer());
        return (int) crc.getValue();
    }
}
