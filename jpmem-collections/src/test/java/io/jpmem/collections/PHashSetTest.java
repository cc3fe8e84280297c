package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PHashSet}'s contract details, and the equality of both types with java.util's. */
class PHashSetTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;
    private ObjectSpace space;

    @BeforeEach
    void open() {
        heap = PersistentHeap.create(dir.resolve("set.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(16L << 20));
        space = ObjectSpace.of(heap);
    }

    @AfterEach
    void close() {
        heap.close();
    }

    @Test
    void equalsAndHashCodeAgreeWithJavaUtil() {
        PHashSet<Object> set = heap.transactionResult(tx -> new PHashSet<>());
        PHashMap<Object, Object> map = heap.transactionResult(tx -> new PHashMap<>());
        Set<Object> jset = new HashSet<>();
        Map<Object, Object> jmap = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            Object e = i % 3 == 0 ? "s" + i : i % 3 == 1 ? (Object) (long) i : (Object) (i * 0.5);
            set.add(e);
            jset.add(e);
            map.put(e, "v" + i);
            jmap.put(e, "v" + i);
        }
        assertEquals(jset, set);
        assertEquals(set, jset);
        assertEquals(jset.hashCode(), set.hashCode());
        assertEquals(jmap, map);
        assertEquals(map, jmap);
        assertEquals(jmap.hashCode(), map.hashCode());
        jmap.put("s0", "other");
        assertNotEquals(jmap, map);
        assertNotEquals(map, jmap);
        jset.remove(1L);
        assertNotEquals(jset, set);
    }

    @Test
    void bulkOperationsAndContentEqualityOfByteArrays() {
        PHashSet<Object> set = heap.transactionResult(tx -> {
            PHashSet<Object> s = new PHashSet<>();
            space.setRoot("set", s);
            return s;
        });
        long before = heap.allocationStats().allocatedBlocks();
        assertTrue(set.addAll(List.of(new byte[] {1, 2}, "a", 3L, "b")));
        assertFalse(set.addAll(List.of("a", 3L)), "nothing new");
        assertTrue(set.contains(new byte[] {1, 2}), "byte[] by content");
        assertFalse(set.add(new byte[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> set.addAll(List.of("c", new Object())));
        assertFalse(set.contains("c"), "a refused addAll writes nothing");
        assertTrue(set.removeAll(List.of("a", "zzz")));
        assertTrue(set.retainAll(List.of(3L, "b")));
        assertEquals(Set.of(3L, "b"), new HashSet<>(set));
        set.clear();
        assertTrue(set.isEmpty());
        assertEquals(before, heap.allocationStats().allocatedBlocks(), "clear leaves the header only, as before the adds");
        assertEquals(0, heap.unreachableBlocks());
        assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
            set.add("rolled back");
            throw new IllegalStateException("roll back");
        }));
        assertFalse(set.contains("rolled back"));
        assertEquals(List.of(), heap.check());
    }
}
