package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import io.jpmem.persist.SimulatedDomain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fences per operation on the SIMULATED domain, as docs/collections/sequences.md states them: each
 * operation in a transaction of its own costs its logged entries + 2, + 2 more when it allocates or
 * frees. Persistent-object elements (no copy) show the collection's own share.
 */
class SequenceFenceTest {

    @TempDir
    Path dir;

    private SimulatedDomain domain;

    private long fences(Runnable operation) {
        long before = domain.fenceCount();
        operation.run();
        return domain.fenceCount() - before;
    }

    @Test
    void fencesPerOperation() {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("fences.heap"),
                HeapOptions.defaults().withDurability(Durability.SIMULATED).withMaxByteSize(4 << 20))) {
            domain = (SimulatedDomain) HeapSpi.domain(heap);
            ObjectSpace space = ObjectSpace.of(heap);
            PList<Object> list = heap.transactionResult(tx -> new PList<>());
            PDeque<Object> deque = heap.transactionResult(tx -> new PDeque<>());
            PBytes bytes = heap.transactionResult(tx -> new PBytes(new byte[100]));
            PString a = heap.transactionResult(tx -> new PString("a"));
            space.setRoot("list", list);
            space.setRoot("deque", deque);
            space.setRoot("bytes", bytes);
            space.setRoot("a", a);
            heap.transaction(tx -> {
                for (int i = 0; i < 3; i++) { // 6 list elements: two more fit its 8 slots
                    list.add(a);
                    list.add((long) i);
                    deque.addLast(a);
                    deque.addFirst(a);
                }
            });
            bytes.setLength(50); // capacity stays 100 (more than a quarter used): the tail is zero

            assertEquals(4, fences(() -> list.add(a)), "PList.add of an object: slot + size");
            assertEquals(6, fences(() -> list.add(7L)), "PList.add of a value: + its copy");
            assertEquals(5, fences(() -> list.set(1, 8L)), "PList.set of a value: slot, + new copy and old freed");
            assertEquals(5, fences(() -> list.add(a)), "PList.add with growth: header snapshot, + new slots and old freed");
            assertEquals(4, fences(() -> deque.addLast(a)), "PDeque.addLast: slot + size");
            assertEquals(4, fences(() -> deque.addFirst(a)), "PDeque.addFirst: slot + first/size snapshot");
            assertEquals(4, fences(() -> deque.pollFirst()), "PDeque.pollFirst: zeroed slot + first/size");
            assertEquals(4, fences(() -> deque.pollLast()), "PDeque.pollLast: zeroed slot + size");
            assertEquals(3, fences(() -> deque.set(0, a)), "PDeque.set of an object: the slot");
            assertEquals(4, fences(() -> bytes.append(new byte[] {1, 2, 3})), "PBytes.append: bytes + header");
            assertEquals(3, fences(() -> bytes.set(0, (byte) 5)), "PBytes.set: one byte");
            assertEquals(List.of(), heap.check());
        }
    }
}
