package io.jpmem.heap;

import io.jpmem.heap.internal.HeapImpl;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child JVM of {@link WriteAheadLoggedHeapTest}: on a write-ahead-logged heap, commits forever a
 * counter and a fresh 1 KiB block (the old one freed), printing each counter value after its commit
 * returned, until it is killed. The heap is small, so the log reaches its checkpoint size often.
 */
public final class WalCrashChild {

    static final TypeLayout COUNTER = TypeLayout.ofRecord("wal.Counter", 16, FieldLayout.of("value", FieldKind.LONG, 0),
            FieldLayout.of("blob", FieldKind.REF, 8));
    static final TypeLayout BYTES = TypeLayout.ofArray("wal.Bytes", FieldKind.BYTE);

    private WalCrashChild() {}

    static HeapOptions options(LogSync sync) {
        return HeapOptions.defaults().withDurability(Durability.POWER).withMaxByteSize(2L << 20).withLogSync(sync);
    }

    /** args: heap path, log sync level. */
    public static void main(String[] args) {
        Path path = Path.of(args[0]);
        PersistentHeap heap = PersistentHeap.openOrCreate(path, options(LogSync.valueOf(args[1])));
        HeapType counter = heap.types().register(COUNTER);
        HeapType bytes = heap.types().register(BYTES);
        if (heap.roots().get("counter").isEmpty()) {
            heap.transaction(tx -> heap.roots().create("counter", tx.allocate(counter)));
        }
        long c = heap.roots().get("counter").orElseThrow();
        System.out.println("ready");
        byte[] blob = new byte[1024];
        long checkpoints = -1;
        while (true) {
            long next = heap.getLong(c) + 1;
            Arrays.fill(blob, (byte) next);
            heap.transaction(tx -> {
                long old = heap.getRef(c + 8);
                if (old != 0) {
                    tx.free(old);
                }
                tx.putRef(c + 8, tx.allocateArrayCopy(bytes, blob));
                tx.putLong(c, next);
            });
            System.out.println(next);
            long seen = ((HeapImpl) heap).log().checkpoints();
            if (seen != checkpoints) {
                checkpoints = seen;
                System.out.println("checkpoints " + seen);
            }
        }
    }
}
