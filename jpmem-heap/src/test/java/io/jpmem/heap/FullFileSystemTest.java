package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.testing.SmallFileSystem;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A sparse heap file larger than its file system: filling it ends in {@link HeapFullException} at
 * allocation (the chunk's blocks are reserved before it is used), never a SIGBUS; what was committed
 * stays, and the heap reopens clean.
 */
class FullFileSystemTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"PROCESS", "POWER"})
    void aFullFileSystemIsAHeapFullExceptionAtAllocationAndLosesNothing(Durability durability) throws Exception {
        // POWER on a file keeps a write-ahead log, whose two files (1.25 MiB each for a 64 MiB heap) are
        // reserved when the heap opens: give it room for them.
        long fsBytes = durability == Durability.POWER ? 6L << 20 : 3L << 20;
        try (SmallFileSystem fs = SmallFileSystem.mount(dir.resolve("small"), fsBytes)) {
            Path path = fs.dir().resolve("big.heap");
            HeapOptions options = HeapOptions.defaults().withDurability(durability).withMaxByteSize(64L << 20)
                    .withLogSlots(4, 64 << 10);
            long committed = 0;
            HeapFullException full = null;
            try (PersistentHeap heap = PersistentHeap.create(path, options)) {
                HeapType bytes = heap.types().register(TypeLayout.ofArray("test.Bytes", FieldKind.BYTE));
                HeapType list = heap.types().register(TypeLayout.ofArray("test.Refs", FieldKind.REF));
                long refs = heap.transactionResult(tx -> {
                    long r = tx.allocateArray(list, 4096);
                    heap.roots().create("blocks", r);
                    return r;
                });
                byte[] payload = new byte[100_000];
                for (int i = 0; i < 4096 && full == null; i++) {
                    int at = i;
                    java.util.Arrays.fill(payload, (byte) (i + 1));
                    try {
                        heap.transaction(tx -> tx.putRef(refs + 8L * at, tx.allocateArrayCopy(bytes, payload)));
                        committed++;
                    } catch (HeapFullException e) {
                        full = e;
                    }
                }
                assertTrue(full != null, "a " + (fsBytes >> 20) + " MiB file system took " + committed + " blocks of 100 kB");
                assertTrue(full.getMessage().contains("file system"), full.getMessage());
                assertTrue(committed > 5, "committed " + committed);
                assertEquals(List.of(), heap.check(), "the heap is sound after the failed allocation");
                heap.transaction(tx -> tx.free(heap.getRef(refs)));  // a free still commits
                heap.transaction(tx -> tx.putRef(refs, 0));
            }
            try (PersistentHeap reopened = PersistentHeap.open(path, durability)) {
                assertTrue(reopened.wasClosedCleanly());
                long refs = reopened.roots().get("blocks").orElseThrow();
                assertEquals(0, reopened.getRef(refs));
                for (int i = 1; i < committed; i++) {
                    long block = reopened.getRef(refs + 8L * i);
                    assertEquals(100_000, reopened.blockByteSize(block));
                    assertEquals((byte) (i + 1), reopened.getByte(block + 99_999), "block " + i);
                }
                assertEquals(List.of(), reopened.check());
            }
        }
    }
}
