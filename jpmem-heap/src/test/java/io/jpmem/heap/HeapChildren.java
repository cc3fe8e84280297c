package io.jpmem.heap;

import io.jpmem.persist.Durability;
import java.nio.file.Path;

/** Main programs that the tests run in child JVMs. */
public final class HeapChildren {

    private HeapChildren() {}

    /**
     * {@code hold MODE PATH}: opens the heap (read-write or read-only), prints "open", and waits to
     * be killed. {@code mechanism PATH}: opens read-write with POWER, commits a byte-array copy
     * (libpmem's non-temporal copy where it is the mechanism), puts it in root "copy" (freeing the one
     * before), prints the flush mechanism, closes.
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hold" -> {
                Path path = Path.of(args[2]);
                PersistentHeap heap = args[1].equals("ro") ? PersistentHeap.openReadOnly(path) : PersistentHeap.open(path);
                System.out.println("open " + heap.accessMode());
                System.out.flush();
                Thread.sleep(120_000);
            }
            case "mechanism" -> {
                try (PersistentHeap heap = PersistentHeap.open(Path.of(args[1]), Durability.POWER)) {
                    HeapType bytes = heap.types().find("test.Bytes")
                            .orElseGet(() -> heap.types().register(TypeLayout.ofArray("test.Bytes", FieldKind.BYTE)));
                    byte[] contents = new byte[3000]; // several lines, not line-aligned at the end
                    java.util.Arrays.fill(contents, (byte) 0x5A);
                    heap.transaction(tx -> {
                        long copy = tx.allocateArrayCopy(bytes, contents);
                        if (heap.roots().get("copy").isPresent()) {
                            tx.free(heap.roots().get("copy").getAsLong());
                            heap.roots().set("copy", copy);
                        } else {
                            heap.roots().create("copy", copy);
                        }
                    });
                    System.out.println(heap.flushMechanism());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
