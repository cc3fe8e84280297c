package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PSortedMap behaviour beyond TreeMap conformance: transactions, freeing, comparators, object keys, Redis-style keys. */
class PSortedMapTest {

    @TempDir
    Path dir;

    private Path file;
    private PersistentHeap heap;

    @BeforeEach
    void open() {
        file = dir.resolve("sorted.heap");
        heap = PersistentHeap.openOrCreate(file, HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(32L << 20));
        ObjectSpace.setDefault(heap);
    }

    @AfterEach
    void close() {
        ObjectSpace.setDefault(null);
        heap.close();
    }

    private void reopen() {
        heap.close();
        heap = PersistentHeap.open(file, Durability.PROCESS);
        ObjectSpace.setDefault(heap);
    }

    @SuppressWarnings("unchecked")
    private <K, V> PSortedMap<K, V> root() {
        return ObjectSpace.of(heap).root("map", PSortedMap.class);
    }

    @Test
    void aFailedTransactionLeavesTheMapAsItWasAndFreesNothing() {
        PSortedMap<String, String> map = new PSortedMap<>();
        ObjectSpace.of(heap).setRoot("map", map);
        for (int i = 0; i < 100; i++) {
            map.put("key" + i, "value" + i);
        }
        long blocks = heap.allocationStats().allocatedBlocks();
        assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
            for (int i = 0; i < 100; i++) {
                map.remove("key" + i);
                map.put("new" + i, "x");
            }
            map.clear();
            throw new IllegalStateException("abort");
        }));
        assertEquals(100, map.size());
        assertEquals("value42", map.get("key42"));
        assertNull(map.get("new1"));
        assertEquals(List.of(), map.checkStructure());
        assertEquals(blocks, heap.allocationStats().allocatedBlocks());
        assertEquals(List.of(), heap.check());
    }

    @Test
    void overwriteRemoveAndClearFreeTheBlocksTheyDrop() {
        PSortedMap<String, Object> map = new PSortedMap<>();
        ObjectSpace.of(heap).setRoot("map", map);
        long empty = heap.allocationStats().allocatedBlocks();
        for (int i = 0; i < 3000; i++) {
            map.put("k" + i, "first value " + i);
        }
        long full = heap.allocationStats().allocatedBlocks();
        for (int i = 0; i < 3000; i++) {
            map.put("k" + i, i % 2 == 0 ? (Object) ("second " + i) : Long.valueOf(i)); // each replaced copy is freed
        }
        assertEquals(full, heap.allocationStats().allocatedBlocks(), "overwriting frees the old value copy");
        for (int i = 0; i < 1500; i++) {
            map.remove("k" + i);
        }
        assertTrue(heap.allocationStats().allocatedBlocks() < full);
        map.clear();
        assertEquals(empty, heap.allocationStats().allocatedBlocks(), "clear frees nodes, key copies and value copies");
        assertEquals(0, heap.unreachableBlocks());
        assertEquals(List.of(), heap.check());
    }

    @Test
    void aComparatorIsMadeAgainFromItsClassNameAfterReopen() {
        PSortedMap<String, Integer> map = new PSortedMap<>(new ReverseLength());
        ObjectSpace.of(heap).setRoot("map", map);
        TreeMap<String, Integer> model = new TreeMap<>(new ReverseLength());
        for (String s : List.of("a", "bb", "ccc", "dd", "e", "ffff", "bb")) {
            model.put(s, s.length());
            map.put(s, s.length());
        }
        assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(map.keySet()));
        reopen();
        PSortedMap<String, Integer> again = root();
        assertInstanceOf(ReverseLength.class, again.comparator());
        assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(again.keySet()));
        assertEquals(List.of("ffff", "ccc", "dd", "bb", "e", "a"), new ArrayList<>(again.keySet()));
        assertEquals("e", again.higherKey("bb"));
        assertEquals("dd", again.lowerKey("bb"));
        assertEquals(3, again.rankOf("bb"));
        assertEquals(List.of(), again.checkStructure());
    }

    @Test
    void aComparatorThatCannotBeMadeAgainIsRefused() {
        Comparator<String> lambda = (a, b) -> b.compareTo(a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PSortedMap<String, String>(lambda));
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
        PSortedMap<String, String> natural = new PSortedMap<>((Comparator<String>) null);
        assertNull(natural.comparator(), "a null comparator means natural ordering, as for TreeMap");
        assertThrows(IllegalArgumentException.class, () -> new PSortedMap<String, String>(new Comparator<String>() {
            @Override
            public int compare(String a, String b) {
                return 0;
            }
        }));
    }

    @Test
    void persistentComparableObjectsAreKeysByReferenceAndAreNotFreed() {
        PSortedMap<Player, String> map = new PSortedMap<>();
        ObjectSpace.of(heap).setRoot("map", map);
        List<Player> players = new ArrayList<>();
        heap.transaction(tx -> {
            for (long score : new long[] {50, 10, 40, 20, 30}) {
                Player p = new Player(score);
                players.add(p);
                map.put(p, "player" + score);
            }
        });
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), map.keySet().stream().map(Player::score).toList());
        assertSame(players.get(1), map.firstKey(), "keys come back as their canonical handles");
        reopen();
        PSortedMap<Player, String> again = root();
        Player top = again.lastKey();
        assertEquals(50, top.score());
        assertEquals("player50", again.get(top));
        assertEquals(4, again.rankOf(top));
        again.remove(top);
        assertTrue(heap.isAllocated(ObjectSpace.of(heap).refOf(top)), "the map never frees an object key");
        assertEquals(List.of(), again.checkStructure());
        assertEquals(List.of(), heap.check());
    }

    @Test
    void scoreMemberKeysOrderLikeARedisSortedSet() {
        PSortedMap<byte[], Boolean> zset = new PSortedMap<>();
        double[] scores = {3.5, -1, 0, 3.5, Double.NEGATIVE_INFINITY, 1e300, -0.0};
        String[] members = {"b", "x", "m", "a", "inf", "big", "neg0"};
        for (int i = 0; i < scores.length; i++) {
            zset.put(SortedKeys.scoreMember(scores[i], members[i].getBytes(StandardCharsets.UTF_8)), true);
        }
        List<String> order = new ArrayList<>();
        for (byte[] key : zset.keySet()) {
            order.add(SortedKeys.score(key) + ":" + new String(SortedKeys.member(key), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("-Infinity:inf", "-1.0:x", "-0.0:neg0", "0.0:m", "3.5:a", "3.5:b", "1.0E300:big"), order);
        Map.Entry<byte[], Boolean> first3 = zset.ceilingEntry(SortedKeys.scorePrefix(3.5)); // ZRANGEBYSCORE 3.5 ...
        assertEquals("a", new String(SortedKeys.member(first3.getKey()), StandardCharsets.UTF_8));
        assertEquals(4, zset.rankOf(first3.getKey()));
    }

    @Test
    void operationsInOneTransactionCommitTogether() {
        PSortedMap<Long, Long> map = new PSortedMap<>();
        ObjectSpace.of(heap).setRoot("map", map);
        heap.transaction(tx -> {
            for (long i = 0; i < 500; i++) {
                map.put(i, i * i);
            }
            assertEquals(500, map.size(), "reads inside the transaction see its writes");
            assertEquals(250L, map.entryAtRank(250).getKey());
        });
        reopen();
        PSortedMap<Long, Long> again = root();
        assertEquals(500, again.size());
        assertEquals(499L * 499, again.get(499L));
        assertEquals(List.of(), again.checkStructure());
    }

    @Test
    void aMapRegistersOnlyTheNodeTypesOfItsKeyShape() {
        PSortedMap<Long, Long> map = new PSortedMap<>();
        for (long i = 0; i < 100; i++) {
            map.put(i, i); // a root split: leaf and inner types of the inline shape
        }
        assertTrue(heap.types().find(SortedNodes.PREFIX + "LeafInline").isPresent());
        assertTrue(heap.types().find(SortedNodes.PREFIX + "InnerInline").isPresent());
        assertTrue(heap.types().find(SortedNodes.PREFIX + "LeafPrefixed").isEmpty(), "the type table is small (16 KiB"
                + " under 64 MiB heaps): shapes no map uses are not registered");
        assertTrue(heap.types().find(SortedNodes.PREFIX + "KeyBytes").isEmpty());
    }
}
