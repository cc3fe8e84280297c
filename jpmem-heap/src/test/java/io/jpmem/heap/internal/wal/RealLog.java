package io.jpmem.heap.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;

/** A log of two real files in a directory, for tests: create, commit, reopen, replay into an array. */
final class RealLog {

    static final UUID HEAP_ID = UUID.fromString("0b9a1f7e-3c55-4d2e-9a61-7f4e2c1d0a11");

    private RealLog() {}

    static Path first(Path dir) {
        return dir.resolve("heap.wal-0");
    }

    static Path second(Path dir) {
        return dir.resolve("heap.wal-1");
    }

    static WalFiles create(Path dir) throws IOException {
        return WalFiles.create(ChannelDiskFile.create(first(dir)), ChannelDiskFile.create(second(dir)), HEAP_ID);
    }

    static RecoveredLog open(Path dir, long heapBytes) {
        return WalRecovery.open(first(dir), second(dir), HEAP_ID, heapBytes, 0);
    }

    /** {@return an image of {@code heapBytes} zero bytes with the log's records applied} */
    static byte[] replay(RecoveredLog log, int heapBytes) throws IOException {
        byte[] heap = new byte[heapBytes];
        LogReplay.apply(log, (offset, bytes) -> bytes.get(heap, (int) offset, bytes.remaining()));
        return heap;
    }

    static void putLongLE(byte[] into, int at, long value) {
        ByteBuffer.wrap(into).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }
}
