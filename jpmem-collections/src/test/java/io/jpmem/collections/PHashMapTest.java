package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentLongArray;
import io.jpmem.persist.Durability;
import io.jpmem.persist.SimulatedDomain;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Freed blocks, refusals, key kinds, incremental rehash, allocation rules and iterators of {@link PHashMap}. */
class PHashMapTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;
    private ObjectSpace space;

    @BeforeEach
    void open() {
        heap = PersistentHeap.create(dir.resolve("map.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(64L << 20));
        space = ObjectSpace.of(heap);
    }

    @AfterEach
    void close() {
        ObjectSpace.setDefault(null);
        heap.close();
    }

    private PHashMap<Object, Object> newRootMap() {
        return heap.transactionResult(tx -> {
            PHashMap<Object, Object> map = new PHashMap<>();
            space.setRoot("map", map);
            return map;
        });
    }

    private long blocks() {
        return heap.allocationStats().allocatedBlocks();
    }

    @Test
    void removingEverythingFreesEveryEntryCopyAndTable() {
        long before = blocks();
        PHashMap<Object, Object> map = newRootMap();
        assertEquals(before + 1, blocks(), "an empty map is its header");
        for (int i = 0; i < 5000; i++) {
            map.put("key" + i, i % 3 == 0 ? "value" + i : i % 3 == 1 ? new byte[] {(byte) i} : (Object) (long) i);
            map.put((long) i, "v");
            map.put(("b" + i).getBytes(), null);
        }
        for (int i = 0; i < 5000; i += 2) {
            map.put("key" + i, "overwritten" + i); // frees the old copy
        }
        assertEquals(0, heap.unreachableBlocks());
        for (int i = 0; i < 5000; i++) {
            assertNotNull(map.remove("key" + i));
            assertTrue(map.delete((long) i));
            assertTrue(map.containsKey(("b" + i).getBytes()));
            assertNull(map.remove(("b" + i).getBytes()));
        }
        assertEquals(0, map.size());
        assertEquals(0, heap.unreachableBlocks(), "nothing leaked");
        assertTrue(blocks() <= before + 3, "header and at most two small tables remain: " + (blocks() - before));
        map.clear();
        assertEquals(before + 1, blocks(), "clear leaves only the header");
        assertEquals(List.of(), heap.check());
        assertEquals(0, heap.collectGarbage().reclaimedBlocks());
    }

    @Test
    void clearFreesEverythingInOneTransaction() {
        long before = blocks();
        PHashMap<Object, Object> map = newRootMap();
        for (int i = 0; i < 3000; i++) {
            map.put("k" + i, "v" + i);
        }
        assertTrue(blocks() > before + 6000);
        map.clear();
        assertTrue(map.isEmpty());
        assertEquals(before + 1, blocks());
        map.put("again", 1L);
        assertEquals(1L, map.get("again"));
        assertEquals(0, heap.unreachableBlocks());
    }

    @Test
    void overwritingAValueFreesTheCopyItReplaces() {
        PHashMap<Object, Object> map = newRootMap();
        map.put("k", "first");
        long after = blocks();
        for (int i = 0; i < 100; i++) {
            assertEquals(i == 0 ? "first" : "v" + (i - 1), map.put("k", "v" + i));
        }
        assertEquals(after, blocks());
        assertEquals(0, heap.unreachableBlocks());
    }

    @Test
    void refusesKeysAndValuesThatCannotBeStoredBeforeWritingAnything() {
        PHashMap<Object, Object> map = newRootMap();
        map.put("a", "b");
        long before = blocks();
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> map.put(new StringBuilder("x"), "v"));
        assertTrue(key.getMessage().contains("PHashMap key") && key.getMessage().contains("java.lang.StringBuilder"), key.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> map.put("k", List.of(1)));
        assertTrue(value.getMessage().contains("PHashMap value"), value.getMessage());
        assertThrows(IllegalArgumentException.class, () -> map.putAll(Map.of("ok", "ok", "bad", new Object())));
        assertEquals(1, map.size());
        assertFalse(map.containsKey("ok"));
        assertEquals(before, blocks());
        assertNull(map.get(new StringBuilder("x")), "any object can be looked up");
        assertFalse(map.containsKey(new Object()));
    }

    @Test
    void keysAreEqualAsInJavaKindByKind() {
        PHashMap<Object, Object> map = newRootMap();
        map.put(1L, "long");
        map.put(1, "int");
        map.put((short) 1, "short");
        map.put('1', "char");
        map.put(1.0, "double");
        map.put("1", "string");
        map.put(new byte[] {1}, "bytes");
        map.put(null, "null");
        map.put("é€😀", "unicode");
        assertEquals(9, map.size());
        assertEquals("long", map.get(1L));
        assertEquals("int", map.get(1));
        assertEquals("short", map.get((short) 1));
        assertEquals("char", map.get('1'));
        assertEquals("double", map.get(1.0));
        assertNull(map.get(1.0f));
        assertEquals("string", map.get("1"));
        assertEquals("bytes", map.get(new byte[] {1}), "byte[] keys by content");
        assertEquals("null", map.get(null));
        assertEquals("unicode", map.get("é€😀"));
        assertEquals(Double.NaN, map.put(Double.NaN, Double.NaN) == null ? Double.NaN : 0.0);
        assertEquals(Double.NaN, map.get(Double.NaN), "NaN equals NaN as Double.equals says");
        map.put(0.0, "zero");
        assertNull(map.get(-0.0), "-0.0 and 0.0 differ as Double.equals says");
    }

    @Test
    void persistentObjectKeysByIdentityOrByTheirEquals() {
        PHashMap<Object, Object> map = newRootMap();
        heap.transaction(tx -> {
            PersistentLongArray a = new PersistentLongArray(1);
            PersistentLongArray b = new PersistentLongArray(1);
            map.put(a, "a");
            map.put(b, "b");
            PointKey p = new PointKey(7);
            map.put(p, "point");
            map.put("nested", new PHashMap<>());
        });
        long points = map.keySet().stream().filter(k -> k instanceof PointKey).count();
        assertEquals(1, points);
        PointKey equal = heap.transactionResult(tx -> new PointKey(7));
        assertEquals("point", map.get(equal), "a distinct but equal PointKey finds the entry");
        int arrays = 0;
        for (Object k : map.keySet()) {
            if (k instanceof PersistentLongArray array) {
                arrays++;
                assertSame(array, map.keySet().stream().filter(x -> x == array).findFirst().orElseThrow(), "canonical handles");
                assertTrue(map.get(array).equals("a") || map.get(array).equals("b"));
            }
        }
        assertEquals(2, arrays);
        @SuppressWarnings("unchecked")
        PHashMap<Object, Object> nested = (PHashMap<Object, Object>) map.get("nested");
        nested.put("inner", 42L);
        assertEquals(Map.of("inner", 42L), map.get("nested"));
        assertThrows(IllegalArgumentException.class, () -> map.put(new PersistentLongArrayInAnotherHeap().array, "x"));
    }

    /** A persistent object of another heap. */
    private final class PersistentLongArrayInAnotherHeap {
        final PersistentLongArray array;

        PersistentLongArrayInAnotherHeap() {
            PersistentHeap other = PersistentHeap.create(dir.resolve("other.heap"),
                    HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(1L << 20));
            array = other.transactionResult(tx -> new PersistentLongArray(1));
            other.close();
        }
    }

    @Test
    void rehashIsIncrementalAndLookupsSeeBothTables() {
        PHashMap<Object, Object> map = newRootMap();
        int longest = 0;
        int run = 0;
        boolean measured = false;
        for (long i = 0; i < 20_000; i++) {
            boolean large = i == 16_384; // this put starts growing 16,384 buckets to 32,768
            long slotBytes = large ? heap.allocationStats().allocatedSlotBytes() + heap.allocationStats().largeBytes() : 0;
            map.put(i, i);
            if (large) {
                assertTrue(map.core().rehashing());
                long grown = heap.allocationStats().allocatedSlotBytes() + heap.allocationStats().largeBytes() - slotBytes;
                assertTrue(grown < 16 * 1024, "starting a rehash allocates a directory and one segment, not 256 KiB: " + grown);
                measured = true;
            }
            if (map.core().rehashing()) {
                run++;
                if (run % 97 == 1) {
                    assertEquals(List.of(), map.core().invariantProblems());
                    for (long j = 0; j <= i; j += 37) {
                        assertEquals(j, map.get(j));
                    }
                }
            } else {
                longest = Math.max(longest, run);
                run = 0;
            }
        }
        // growing 8192 -> 16384 buckets while moving at most 2 non-empty buckets per put
        assertTrue(longest >= 2000, "a rehash spans many operations: " + longest);
        assertTrue(measured);
        for (long i = 0; i < 20_000; i++) {
            assertEquals(i, map.remove(i));
        }
        assertEquals(List.of(), map.core().invariantProblems());
        assertEquals(0, heap.unreachableBlocks());
    }

    @Test
    void newAllocatesInTheTransactionsHeapOrTheDefault() {
        assertThrows(IllegalStateException.class, PHashMap::new);
        ObjectSpace.setDefault(heap);
        PHashMap<String, String> map = new PHashMap<>();
        PHashSet<String> set = new PHashSet<>();
        map.put("k", "v");
        set.add("e");
        space.setRoot("m", map);
        space.setRoot("s", set);
        assertSame(map, space.root("m", PHashMap.class), "canonical handle");
        assertEquals("v", map.get("k"));
        assertTrue(set.contains("e"));
    }

    @Test
    void iteratorsAreFailFastAndRemoveAtomically() {
        PHashMap<Object, Object> map = newRootMap();
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, (long) i);
        }
        Iterator<Object> keys = map.keySet().iterator();
        keys.next();
        map.put("new", 1L);
        assertThrows(ConcurrentModificationException.class, keys::next);
        Iterator<Object> values = map.values().iterator();
        assertThrows(IllegalStateException.class, values::remove);
        int removed = 0;
        while (values.hasNext()) {
            if ((long) values.next() % 2 == 0) {
                values.remove();
                removed++;
            }
        }
        assertEquals(50, removed);
        assertEquals(51, map.size());
        assertEquals(0, heap.unreachableBlocks());
        assertTrue(map.entrySet().remove(Map.entry("k1", 1L)));
        assertFalse(map.entrySet().remove(Map.entry("k3", 4L)));
        assertEquals(50, map.size());
    }

    @Test
    void overwritingValuesWhileIteratingIsAllowedEvenDuringARehash() {
        PHashMap<Object, Object> map = newRootMap();
        for (long i = 0; i < 1100; i++) {
            map.put(i, "v");
        }
        assertTrue(map.core().rehashing(), "1100 entries: growing from 1024 buckets");
        int seen = 0;
        for (Object key : map.keySet()) {
            assertEquals("v", map.put(key, "w"), "each key once, not yet overwritten");
            seen++;
        }
        assertEquals(1100, seen);
        assertTrue(map.core().rehashing(), "overwrites move no bucket");
        assertTrue(map.values().stream().allMatch("w"::equals));
        Iterator<Object> keys = map.keySet().iterator();
        keys.next();
        map.remove(5L);
        assertThrows(ConcurrentModificationException.class, keys::next, "a remove is structural");
    }

    @Test
    void fencesPerOperationAreTheLoggedStoresPlusFour() {
        try (PersistentHeap simulated = PersistentHeap.create(dir.resolve("fences.heap"),
                HeapOptions.defaults().withDurability(Durability.SIMULATED).withMaxByteSize(8L << 20))) {
            SimulatedDomain domain = (SimulatedDomain) HeapSpi.domain(simulated);
            ObjectSpace objects = ObjectSpace.of(simulated);
            PHashMap<String, String> map = simulated.transactionResult(tx -> {
                PHashMap<String, String> m = new PHashMap<>();
                objects.setRoot("map", m);
                return m;
            });
            for (int i = 0; i < 30; i++) {
                map.put("key" + (char) ('A' + i), "value" + (char) ('A' + i));
            }
            map.put("warm", "value.");
            map.remove("warm"); // every size class in use has a slab chunk and cached slots now
            assertFalse(map.core().rehashing());
            long before = domain.fenceCount();
            map.get("keyA");
            assertEquals(0, domain.fenceCount() - before, "get");
            before = domain.fenceCount();
            map.put("key+", "value+");
            assertEquals(2 + 4, domain.fenceCount() - before, "put of a new key: bucket head and size, allocating");
            before = domain.fenceCount();
            map.put("keyB", "value-");
            assertEquals(1 + 4, domain.fenceCount() - before, "overwrite: the value slot, allocating and freeing");
            before = domain.fenceCount();
            map.remove("key+");
            assertEquals(2 + 4, domain.fenceCount() - before, "remove: the link and size, freeing");
            before = domain.fenceCount();
            assertNull(map.remove("absent"));
            assertEquals(0, domain.fenceCount() - before, "remove of an absent key writes nothing");
        }
    }

    @Test
    void reopenFindsTheMapWithoutRebuildingIt() {
        PHashMap<Object, Object> map = newRootMap();
        for (int i = 0; i < 1000; i++) {
            map.put("k" + i, "v" + i);
        }
        boolean rehashing = map.core().rehashing();
        Path path = heap.path();
        heap.close();
        heap = PersistentHeap.open(path, Durability.PROCESS);
        space = ObjectSpace.of(heap);
        @SuppressWarnings("unchecked")
        PHashMap<Object, Object> reopened = space.root("map", PHashMap.class);
        assertEquals(rehashing, reopened.core().rehashing(), "the rehash state survives as it was");
        assertEquals(1000, reopened.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals("v" + i, reopened.get("k" + i));
        }
        assertEquals(List.of(), heap.check());
    }
}
