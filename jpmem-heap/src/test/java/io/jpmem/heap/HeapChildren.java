package io.jpmem.heap;

import io.jpmem.persist.Durability;
import java.nio.file.Path;

/** Main programs that the tests run in child JVMs. */
public final class HeapChildren {

    private HeapChildren() {}

    /**
     * {@code hold MODE PATH}: opens the heap (read-write or read-only), prints "open", and waits to
     * be killed. {@code mechanism PATH}: opens read-write with POWER, prints the flush mechanism,
     * closes.
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
                    long a = heap.objectAreaOffset();
                    heap.putLong(a, 4242);
                    heap.persist(a, 8);
                    System.out.println(heap.flushMechanism());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
