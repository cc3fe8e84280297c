package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import io.jpmem.persist.SimulatedDomain;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the persist barriers (fences) of PSortedMap's common mutations on the SIMULATED domain, the
 * figure that sets POWER-mode cost: a transaction with k undo entries costs k + 2 fences, k + 4
 * when it allocates or frees. With the tree at height h, an insert without a split logs h + 2
 * entries (leaf snapshot, h child counts, the size), as does a remove without a merge.
 */
class PSortedMapFenceTest {

    @TempDir
    Path dir;

    @Test
    void putOverwriteAndRemoveCostHeightPlusTwoUndoEntries() {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("fences.heap"),
                HeapOptions.defaults().withDurability(Durability.SIMULATED).withMaxByteSize(8L << 20))) {
            SimulatedDomain domain = (SimulatedDomain) HeapSpi.domain(heap);
            PSortedMap<Long, Object> map = heap.transactionResult(tx -> new PSortedMap<>());
            heap.transaction(tx -> {
                for (long i = 0; i < 400; i++) {
                    map.put(i * 10, i); // height 1: leaves under one inner root
                }
            });
            long header = ObjectSpace.of(heap).refOf(map);
            assertEquals(1, PSortedMap.heightOf(heap.getLong(header + PSortedMap.META)));
            map.put(-5L, 0L); // warm the value-copy slab classes (a new slab costs fences of its own)
            map.put(-6L, "warm");
            map.remove(-5L);
            map.remove(-6L);

            long before = domain.fenceCount();
            map.put(15L, 1L); // a new key in a leaf with room: leaf snapshot, 1 count, size; a value copy
            assertEquals(3 + 4, domain.fenceCount() - before, "insert at height 1");

            before = domain.fenceCount();
            map.put(15L, 2L); // overwrite of a Long by a Long: the entry's own copy, in place
            assertEquals(1 + 2, domain.fenceCount() - before, "overwrite in place");

            before = domain.fenceCount();
            map.put(15L, "two"); // another class: the value slot; a new copy, the old one freed
            assertEquals(1 + 4, domain.fenceCount() - before, "overwrite with a new copy");

            before = domain.fenceCount();
            assertTrue(map.delete(15L)); // leaf snapshot, 1 count, size; the value copy freed
            assertEquals(3 + 4, domain.fenceCount() - before, "remove at height 1");
        }
    }
}
