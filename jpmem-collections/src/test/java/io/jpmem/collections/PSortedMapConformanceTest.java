package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Model-based conformance: random operation sequences applied to a {@link PSortedMap} and to a
 * {@link TreeMap}, every result compared (navigation, ranks, views included), the whole contents and
 * the tree's structure compared every few operations, across close and reopen. Seeded: each run
 * prints its seed; {@code -Djpmem.seed=S} replays it.
 */
class PSortedMapConformanceTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;

    @AfterEach
    void close() {
        ObjectSpace.setDefault(null);
        if (heap != null) {
            heap.close();
        }
    }

    /** The key types the map keeps, each with a generator over a small domain (so keys repeat) and the model's order. */
    enum Keys {
        LONG(r -> r.nextLong(-1500, 1500) * 1_000_003L, null),
        INTEGER(r -> r.nextInt(-1500, 1500), null),
        DOUBLE(r -> switch (r.nextInt(40)) {
            case 0 -> Double.NaN;
            case 1 -> -0.0;
            case 2 -> 0.0;
            case 3 -> Double.NEGATIVE_INFINITY;
            case 4 -> Double.POSITIVE_INFINITY;
            default -> r.nextInt(-1500, 1500) / 7.0;
        }, null),
        STRING(Keys::randomString, null),
        BYTES(r -> {
            byte[] b = new byte[r.nextInt(0, 14)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (r.nextBoolean() ? r.nextInt(250, 256) : r.nextInt(0, 3)); // high bytes test unsigned order
            }
            return b;
        }, (Comparator<Object>) (a, b) -> Arrays.compareUnsigned((byte[]) a, (byte[]) b));

        final Function<SplittableRandom, Object> generator;
        final Comparator<Object> order;

        Keys(Function<SplittableRandom, Object> generator, Comparator<Object> order) {
            this.generator = generator;
            this.order = order;
        }

        private static Object randomString(SplittableRandom r) {
            StringBuilder s = new StringBuilder("k");
            int length = r.nextInt(0, 5);
            for (int i = 0; i < length; i++) {
                switch (r.nextInt(12)) {
                    case 0 -> s.append("\uD83D\uDE00"); // a surrogate pair (U+1F600)
                    case 1 -> s.append('\uFF21');        // above the surrogates: UTF-8 order would differ
                    case 2 -> s.append('\u00E9');
                    case 3 -> s.append('\u0000');
                    default -> s.append((char) ('a' + r.nextInt(0, 12)));
                }
            }
            return s.toString();
        }
    }

    private static long seed() {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println("PSortedMapConformanceTest seed=" + seed + " (replay with -Djpmem.seed=" + seed + ")");
        return seed;
    }

    private PersistentHeap open(Path file) {
        heap = PersistentHeap.openOrCreate(file, HeapOptions.defaults().withDurability(Durability.PROCESS)
                .withMaxByteSize(64L << 20));
        return heap;
    }

    @SuppressWarnings("unchecked")
    private PSortedMap<Object, Object> reopen(Path file) {
        heap.close();
        open(file);
        assertEquals(List.of(), heap.check());
        return ObjectSpace.of(heap).root("map", PSortedMap.class);
    }

    @ParameterizedTest
    @EnumSource(Keys.class)
    void randomOperationsMatchTreeMapAcrossReopen(Keys keys) {
        long seed = seed() ^ keys.ordinal();
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("conformance-" + keys + ".heap");
        open(file);
        PSortedMap<Object, Object> map = heap.transactionResult(tx -> {
            PSortedMap<Object, Object> m = new PSortedMap<>();
            ObjectSpace.of(heap).setRoot("map", m);
            return m;
        });
        long baseline = heap.allocationStats().allocatedBlocks();
        TreeMap<Object, Object> model = new TreeMap<>(keys.order);
        int operations = 7000;
        for (int op = 0; op < operations; op++) {
            String context = keys + " seed " + seed + " op " + op;
            boolean growing = (op / 1500) % 2 == 0; // grow, shrink, grow, ...: splits, merges, root changes
            step(map, model, keys, random, growing, context);
            if (op % 97 == 0 || op == operations - 1) {
                compareAll(map, model, context);
            }
            if (op % 1800 == 1799) {
                map = reopen(file);
                compareAll(map, model, context + " after reopen");
            }
        }
        for (Object key : new ArrayList<>(model.keySet())) {
            assertTrue(map.delete(key), keys + ": delete " + show(key));
        }
        assertTrue(map.isEmpty());
        assertEquals(List.of(), map.checkStructure());
        assertEquals(baseline, heap.allocationStats().allocatedBlocks(), keys + ": removing every entry freed every block");
        assertEquals(0, heap.unreachableBlocks());
        assertEquals(List.of(), heap.check());
    }

    private static void step(PSortedMap<Object, Object> map, TreeMap<Object, Object> model, Keys keys,
                             SplittableRandom r, boolean growing, String context) {
        Object key = keys.generator.apply(r);
        int choice = r.nextInt(100);
        if (choice < (growing ? 40 : 15)) {
            Object value = value(r);
            assertSame(model.put(key, value), map.put(key, value), context, "put " + show(key));
        } else if (choice < (growing ? 45 : 25)) {
            Object value = value(r);
            boolean added = !model.containsKey(key);
            model.put(key, value);
            assertEquals(added, map.set(key, value), context + " set " + show(key));
        } else if (choice < (growing ? 55 : 60)) {
            assertSame(model.remove(key), map.remove(key), context, "remove " + show(key));
        } else if (choice < (growing ? 57 : 65)) {
            boolean present = model.containsKey(key);
            model.remove(key);
            assertEquals(present, map.delete(key), context + " delete");
        } else if (choice < 70) {
            assertSame(model.get(key), map.get(key), context, "get " + show(key));
            assertEquals(model.containsKey(key), map.containsKey(key), context + " containsKey");
        } else if (choice < 78) {
            assertEntry(model.floorEntry(key), map.floorEntry(key), context + " floor " + show(key));
            assertEntry(model.ceilingEntry(key), map.ceilingEntry(key), context + " ceiling " + show(key));
            assertEntry(model.higherEntry(key), map.higherEntry(key), context + " higher " + show(key));
            assertEntry(model.lowerEntry(key), map.lowerEntry(key), context + " lower " + show(key));
            assertSameKey(model.floorKey(key), map.floorKey(key), context + " floorKey");
            assertSameKey(model.higherKey(key), map.higherKey(key), context + " higherKey");
        } else if (choice < 84) {
            long rank = model.headMap(key, false).size();
            assertEquals(model.containsKey(key) ? rank : -rank - 1, map.rankOf(key), context + " rankOf " + show(key));
            if (!model.isEmpty()) {
                int at = r.nextInt(model.size());
                Map.Entry<Object, Object> expected = nth(model, at);
                assertEntry(expected, map.entryAtRank(at), context + " entryAtRank " + at);
                int to = Math.min(model.size(), at + r.nextInt(1, 40));
                List<Map.Entry<Object, Object>> range = map.entriesByRank(at, to);
                assertEquals(to - at, range.size());
                for (int i = at; i < to; i++) {
                    assertEntry(nth(model, i), range.get(i - at), context + " entriesByRank " + i);
                }
                boolean descending = r.nextBoolean();
                Iterator<Map.Entry<Object, Object>> it = map.iteratorFromRank(at, descending);
                for (int i = at; i >= 0 && i < Math.min(model.size(), at + 10); i += descending ? -1 : 1) {
                    assertEntry(nth(model, i), it.next(), context + " iteratorFromRank " + at);
                }
            }
        } else if (choice < 87) {
            assertEntry(model.firstEntry(), map.firstEntry(), context + " first");
            assertEntry(model.lastEntry(), map.lastEntry(), context + " last");
            if (r.nextInt(4) == 0) {
                assertEntry(model.pollFirstEntry(), map.pollFirstEntry(), context + " pollFirst");
            } else if (r.nextInt(3) == 0) {
                assertEntry(model.pollLastEntry(), map.pollLastEntry(), context + " pollLast");
            }
        } else if (choice < 96) {
            compareView(map, model, keys, r, context);
        } else if (choice < 99) {
            iteratorRemove(map, model, r, context);
        } else if (r.nextInt(20) == 0) {
            model.clear();
            map.clear();
            assertEquals(List.of(), map.checkStructure(), context + " clear");
        }
        assertEquals(model.size(), map.size(), context + " size");
    }

    private static Object value(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> null;
            case 1 -> r.nextLong();
            default -> "v" + r.nextInt(1000);
        };
    }

    private static void iteratorRemove(PSortedMap<Object, Object> map, TreeMap<Object, Object> model, SplittableRandom r,
                                       String context) {
        boolean descending = r.nextBoolean();
        Iterator<Object> mine = descending ? map.descendingKeySet().iterator() : map.keySet().iterator();
        Iterator<Object> theirs = descending ? model.descendingKeySet().iterator() : model.keySet().iterator();
        int steps = r.nextInt(1, 60);
        for (int i = 0; i < steps && theirs.hasNext(); i++) {
            assertTrue(mine.hasNext(), context + " iterator");
            assertSameKey(theirs.next(), mine.next(), context + " iterator step " + i);
            if (r.nextInt(3) == 0) {
                theirs.remove();
                mine.remove();
            }
        }
        assertEquals(List.of(), map.checkStructure(), context + " iterator remove");
    }

    private static void compareView(PSortedMap<Object, Object> map, TreeMap<Object, Object> model, Keys keys,
                                    SplittableRandom r, String context) {
        Object a = keys.generator.apply(r);
        Object b = keys.generator.apply(r);
        @SuppressWarnings("unchecked")
        Comparator<Object> order = keys.order != null ? keys.order : (x, y) -> ((Comparable<Object>) x).compareTo(y);
        if (order.compare(a, b) > 0) {
            Object t = a;
            a = b;
            b = t;
        }
        boolean ai = r.nextBoolean();
        boolean bi = r.nextBoolean();
        NavigableMap<Object, Object> mine;
        NavigableMap<Object, Object> theirs;
        switch (r.nextInt(4)) {
            case 0 -> {
                mine = map.subMap(a, ai, b, bi);
                theirs = model.subMap(a, ai, b, bi);
            }
            case 1 -> {
                mine = map.headMap(b, bi);
                theirs = model.headMap(b, bi);
            }
            case 2 -> {
                mine = map.tailMap(a, ai);
                theirs = model.tailMap(a, ai);
            }
            default -> {
                mine = map.subMap(a, ai, b, bi).descendingMap();
                theirs = model.subMap(a, ai, b, bi).descendingMap();
            }
        }
        if (r.nextInt(3) == 0) {
            mine = mine.descendingMap();
            theirs = theirs.descendingMap();
        }
        String what = context + " view " + show(a) + (ai ? "]" : ")") + " " + show(b) + (bi ? "]" : ")");
        assertEquals(theirs.size(), mine.size(), what + " size");
        assertEquals(theirs.isEmpty(), mine.isEmpty(), what + " isEmpty");
        List<Object> expectedKeys = new ArrayList<>(theirs.keySet());
        List<Object> actualKeys = new ArrayList<>(mine.keySet());
        assertEquals(expectedKeys.size(), actualKeys.size(), what + " keys");
        for (int i = 0; i < expectedKeys.size(); i++) {
            assertSameKey(expectedKeys.get(i), actualKeys.get(i), what + " key " + i);
        }
        Object probe = keys.generator.apply(r);
        assertEntry(theirs.firstEntry(), mine.firstEntry(), what + " first");
        assertEntry(theirs.lastEntry(), mine.lastEntry(), what + " last");
        assertEntry(theirs.ceilingEntry(probe), mine.ceilingEntry(probe), what + " ceiling " + show(probe));
        assertEntry(theirs.floorEntry(probe), mine.floorEntry(probe), what + " floor " + show(probe));
        assertEntry(theirs.higherEntry(probe), mine.higherEntry(probe), what + " higher " + show(probe));
        assertEntry(theirs.lowerEntry(probe), mine.lowerEntry(probe), what + " lower " + show(probe));
        assertSame(theirs.get(probe), mine.get(probe), what, "get " + show(probe));
        assertEquals(theirs.containsKey(probe), mine.containsKey(probe), what + " containsKey");
        if (r.nextInt(4) == 0) {
            Object value = value(r);
            Object expected;
            try {
                expected = theirs.put(probe, value);
            } catch (IllegalArgumentException outside) {
                NavigableMap<Object, Object> view = mine;
                assertThrows(IllegalArgumentException.class, () -> view.put(probe, value), what + " put out of range");
                return;
            }
            assertSame(expected, mine.put(probe, value), what, "view put");
        } else if (r.nextInt(4) == 0) {
            assertEntry(theirs.pollFirstEntry(), mine.pollFirstEntry(), what + " pollFirst");
        }
    }

    private static void compareAll(PSortedMap<Object, Object> map, TreeMap<Object, Object> model, String context) {
        assertEquals(List.of(), map.checkStructure(), context + " structure");
        assertEquals(model.size(), map.size(), context + " size");
        Iterator<Map.Entry<Object, Object>> mine = map.entrySet().iterator();
        int i = 0;
        for (Map.Entry<Object, Object> expected : model.entrySet()) {
            assertTrue(mine.hasNext(), context + " iteration ends early at " + i);
            assertEntry(expected, mine.next(), context + " iteration " + i++);
        }
        assertFalse(mine.hasNext(), context + " iteration goes on");
        Iterator<Object> descending = map.descendingKeySet().iterator();
        for (Object expected : model.descendingKeySet()) {
            assertSameKey(expected, descending.next(), context + " descending iteration");
        }
        assertFalse(descending.hasNext());
    }

    private static Map.Entry<Object, Object> nth(TreeMap<Object, Object> model, int n) {
        Iterator<Map.Entry<Object, Object>> it = model.entrySet().iterator();
        for (int i = 0; i < n; i++) {
            it.next();
        }
        return it.next();
    }

    private static void assertEntry(Map.Entry<Object, Object> expected, Map.Entry<Object, Object> actual, String context) {
        if (expected == null || actual == null) {
            assertEquals(expected == null ? null : show(expected.getKey()), actual == null ? null : show(actual.getKey()),
                    context);
            return;
        }
        assertSameKey(expected.getKey(), actual.getKey(), context + " key");
        assertSame(expected.getValue(), actual.getValue(), context, "value");
    }

    private static void assertSameKey(Object expected, Object actual, String context) {
        assertTrue(Objects.deepEquals(expected, actual), context + ": expected " + show(expected) + " but was " + show(actual));
    }

    private static void assertSame(Object expected, Object actual, String context, String what) {
        assertTrue(Objects.deepEquals(expected, actual), context + " " + what + ": expected " + show(expected) + " but was "
                + show(actual));
    }

    static String show(Object o) {
        return o instanceof byte[] b ? Arrays.toString(b) : String.valueOf(o);
    }

    @Test
    void stringKeysOrderAsStringCompareToNotAsUtf8() {
        Path file = dir.resolve("strings.heap");
        open(file);
        ObjectSpace.setDefault(heap);
        PSortedMap<String, Integer> map = new PSortedMap<>();
        String supplementary = "\uD83D\uDE00"; // U+1F600: after U+FF21 in UTF-8, before it in UTF-16
        String fullwidth = "\uFF21";
        map.put(fullwidth, 1);
        map.put(supplementary, 2);
        map.put("", 3);
        map.put("\u0000", 4);
        assertEquals(List.of("", "\u0000", supplementary, fullwidth), new ArrayList<>(map.keySet()));
        assertEquals(new ArrayList<>(new TreeMap<>(map).keySet()), new ArrayList<>(map.keySet()));
    }

    @Test
    void keysOfAnotherKindAreRefusedAndAnEmptiedMapForgetsItsKind() {
        open(dir.resolve("kinds.heap"));
        ObjectSpace.setDefault(heap);
        PSortedMap<Object, Object> map = new PSortedMap<>();
        map.put(1L, "one");
        ClassCastException e = assertThrows(ClassCastException.class, () -> map.put("x", "y"));
        assertTrue(e.getMessage().contains("LONG"), e.getMessage());
        assertThrows(ClassCastException.class, () -> map.get(1));
        assertThrows(NullPointerException.class, () -> map.put(null, "y"));
        assertThrows(ClassCastException.class, () -> new PSortedMap<>().put(new Object(), "y"));
        assertEquals(1, map.size(), "a refused put changes nothing");
        map.remove(1L);
        map.put("x", "y");
        assertEquals("y", map.get("x"));
        assertEquals(List.of(), heap.check());
    }

    @ParameterizedTest
    @EnumSource(value = Keys.class, names = {"LONG", "STRING"})
    void aDeepTreeGrowsAndShrinksThroughInnerSplitsMergesAndRootChanges(Keys keys) {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("deep.heap");
        open(file);
        PSortedMap<Object, Object> map = heap.transactionResult(tx -> {
            PSortedMap<Object, Object> m = new PSortedMap<>();
            ObjectSpace.of(heap).setRoot("map", m);
            return m;
        });
        long baseline = heap.allocationStats().allocatedBlocks();
        TreeMap<Object, Object> model = new TreeMap<>();
        int maxHeight = 0;
        int inserts = keys == Keys.LONG ? 40_000 : 25_000;
        for (int i = 0; i < inserts; i++) {
            long n = random.nextLong(1_000_000);
            Object key = keys == Keys.LONG ? (Object) n : "member:" + n; // Strings share a prefix of 8 bytes
            long value = random.nextLong(100);
            assertEquals(model.put(key, value), map.put(key, value));
            maxHeight = Math.max(maxHeight, PSortedMap.heightOf(heap.getLong(ObjectSpace.of(heap).refOf(map) + PSortedMap.META)));
            if (i % 5000 == 4999) {
                assertEquals(List.of(), map.checkStructure(), "seed " + seed + " insert " + i);
            }
        }
        assertTrue(maxHeight >= 2, "the tree reached height " + maxHeight);
        map = reopen(file);
        assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(map.entrySet()));
        List<Object> all = new ArrayList<>(model.keySet());
        for (int i = 0; i < 200; i++) {
            int rank = random.nextInt(all.size());
            assertEquals(rank, map.rankOf(all.get(rank)));
            assertEquals(all.get(rank), map.entryAtRank(rank).getKey());
        }
        java.util.Collections.shuffle(all, new java.util.Random(seed));
        for (int i = 0; i < all.size(); i++) {
            assertEquals(model.remove(all.get(i)), map.remove(all.get(i)));
            if (i % 5000 == 4999 || all.size() - i < 70 && i % 7 == 0) {
                assertEquals(List.of(), map.checkStructure(), "seed " + seed + " remove " + i);
                assertEquals(model.size(), map.size());
                if (!model.isEmpty()) {
                    assertEquals(model.firstKey(), map.firstKey());
                    assertEquals(model.lastKey(), map.lastKey());
                }
            }
        }
        assertTrue(map.isEmpty());
        assertEquals(baseline, heap.allocationStats().allocatedBlocks(), "every node, key and value copy was freed");
        assertEquals(List.of(), heap.check());
    }

    /** Views of views (narrowed, reversed), built the same way on both maps: the same keys, or the same refusal. */
    @Test
    void nestedViewsMatchTreeMapsOrAreRefusedAlike() {
        long seed = seed();
        SplittableRandom r = new SplittableRandom(seed);
        open(dir.resolve("views.heap"));
        ObjectSpace.setDefault(heap);
        PSortedMap<Long, Long> map = new PSortedMap<>();
        TreeMap<Long, Long> model = new TreeMap<>();
        heap.transaction(tx -> {
            for (long k = 0; k < 400; k += 2) {
                map.put(k, k);
                model.put(k, k);
            }
        });
        for (int trial = 0; trial < 8000; trial++) {
            NavigableMap<Long, Long> mine = map;
            NavigableMap<Long, Long> theirs = model;
            StringBuilder path = new StringBuilder("seed " + seed + " trial " + trial + ":");
            for (int depth = 0; depth < 3; depth++) {
                long a = r.nextLong(-10, 410);
                long b = r.nextLong(-10, 410);
                boolean ai = r.nextBoolean();
                boolean bi = r.nextBoolean();
                int kind = r.nextInt(4);
                path.append(" ").append(kind).append("(").append(a).append(ai ? "i" : "x").append(",").append(b)
                        .append(bi ? "i" : "x").append(")");
                NavigableMap<Long, Long> nextTheirs;
                try {
                    nextTheirs = narrow(theirs, kind, a, ai, b, bi);
                } catch (IllegalArgumentException refused) {
                    NavigableMap<Long, Long> view = mine;
                    assertThrows(IllegalArgumentException.class, () -> narrow(view, kind, a, ai, b, bi), path + " should be refused");
                    break;
                }
                mine = narrow(mine, kind, a, ai, b, bi);
                theirs = nextTheirs;
                assertEquals(new ArrayList<>(theirs.keySet()), new ArrayList<>(mine.keySet()), path.toString());
                assertEquals(theirs.size(), mine.size(), path.toString());
                long probe = r.nextLong(-10, 410);
                assertEquals(theirs.ceilingKey(probe), mine.ceilingKey(probe), path + " ceiling " + probe);
                assertEquals(theirs.lowerKey(probe), mine.lowerKey(probe), path + " lower " + probe);
                assertEquals(theirs.get(probe), mine.get(probe), path + " get " + probe);
            }
        }
    }

    private static NavigableMap<Long, Long> narrow(NavigableMap<Long, Long> view, int kind, long a, boolean ai, long b,
                                                   boolean bi) {
        return switch (kind) {
            case 0 -> view.subMap(a, ai, b, bi);
            case 1 -> view.headMap(b, bi);
            case 2 -> view.tailMap(a, ai);
            default -> view.descendingMap();
        };
    }
}
