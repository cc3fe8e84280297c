package io.jpmem.collections;

import static io.jpmem.collections.Model.norm;
import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentLongArray;
import io.jpmem.objects.PersistentRefArray;
import io.jpmem.persist.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-based conformance: random operations applied to a {@link PHashMap} and to a
 * {@link java.util.HashMap}, results compared after each, whole contents and the table's invariants
 * compared regularly, the heap closed and reopened every few thousand operations. Keys are Strings
 * (some non-ASCII, some long), Longs, Integers (a kind of their own), byte[] (by content), persistent
 * objects with identity and with content equality, and null. Alternating phases of mostly puts and
 * mostly removes force many grows and shrinks. {@code -Djpmem.seed} replays a run;
 * {@code -Djpmem.hashModelOps} sets the length (default 40,000).
 */
class PHashMapModelTest {

    @TempDir
    Path dir;

    private Path path;
    private PersistentHeap heap;
    private ObjectSpace space;
    private PHashMap<Object, Object> map;
    private final List<Object> objects = new ArrayList<>();
    private final HashMap<Object, Object> model = new HashMap<>();
    private SplittableRandom random;
    private int grows;

    @AfterEach
    void close() {
        if (heap != null) {
            heap.close();
        }
    }

    @Test
    void randomOperationsMatchHashMapAcrossReopens() {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println("PHashMapModelTest seed=" + seed);
        random = new SplittableRandom(seed);
        path = dir.resolve("model.heap");
        heap = PersistentHeap.create(path, HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(64L << 20));
        space = ObjectSpace.of(heap);
        heap.transaction(tx -> {
            map = new PHashMap<>();
            space.setRoot("map", map);
            PersistentRefArray<Object> objs = new PersistentRefArray<>(16);
            for (int i = 0; i < 8; i++) {
                objs.set(i, new PersistentLongArray(1));
                objs.set(8 + i, new PointKey(i));
            }
            space.setRoot("objects", objs);
        });
        loadObjects();
        int ops = Integer.getInteger("jpmem.hashModelOps", 40_000);
        long maxSize = 0;
        boolean wasRehashing = false;
        for (int i = 0; i < ops; i++) {
            boolean growing = (i / 6000) % 2 == 0;
            step(growing, "op " + i + " seed " + seed);
            maxSize = Math.max(maxSize, map.size());
            boolean rehashing = map.core().rehashing();
            if (rehashing && !wasRehashing) {
                grows++;
            }
            wasRehashing = rehashing;
            if (i % 500 == 499) {
                compareAll("op " + i + " seed " + seed);
            }
            if (i % 4000 == 3999) {
                reopen("op " + i + " seed " + seed);
            }
        }
        compareAll("end seed " + seed);
        System.out.println("PHashMapModelTest ops=" + ops + " max-size=" + maxSize + " resizes=" + grows);
        assertTrue(grows >= 10, "the run should resize many times: " + grows);
    }

    private void loadObjects() {
        objects.clear();
        @SuppressWarnings("unchecked")
        PersistentRefArray<Object> objs = space.root("objects", PersistentRefArray.class);
        for (int i = 0; i < 16; i++) {
            objects.add(objs.get(i));
        }
    }

    private void reopen(String context) {
        heap.close();
        heap = PersistentHeap.open(path, Durability.PROCESS);
        assertEquals(List.of(), heap.check(), context);
        assertEquals(0, heap.unreachableBlocks(), context + ": leaked blocks");
        space = ObjectSpace.of(heap);
        @SuppressWarnings("unchecked")
        PHashMap<Object, Object> reopened = space.root("map", PHashMap.class);
        map = reopened;
        loadObjects();
        compareAll(context + " after reopen");
    }

    private Object randomKey() {
        int n = random.nextInt(400);
        return switch (random.nextInt(7)) {
            case 0 -> "k" + n + (n % 7 == 0 ? "é€" : "");
            case 1 -> (long) n;
            case 2 -> ("b" + n).getBytes(StandardCharsets.UTF_8);
            case 3 -> n;
            case 4 -> objects.get(n % objects.size());
            case 5 -> n % 40 == 0 ? null : "long-key-" + n + "-".repeat(n % 40);
            default -> n % 2 == 0 ? (double) n / 4 : (char) ('a' + n % 26);
        };
    }

    private Object randomValue() {
        int n = random.nextInt(1000);
        return switch (random.nextInt(6)) {
            case 0 -> "v" + n;
            case 1 -> (long) n;
            case 2 -> new byte[] {(byte) n, 1, 2};
            case 3 -> null;
            case 4 -> objects.get(n % objects.size());
            default -> "value-" + "x".repeat(n % 100);
        };
    }

    private void step(boolean growing, String context) {
        int dice = random.nextInt(1000);
        int putShare = growing ? 550 : 150;
        if (dice < putShare) {
            Object k = randomKey();
            Object v = randomValue();
            assertEquals(model.put(norm(k), norm(v)), norm(map.put(k, v)), context + " put " + norm(k));
        } else if (dice < 750) {
            Object k = randomKey();
            if (random.nextBoolean()) {
                assertEquals(model.remove(norm(k)), norm(map.remove(k)), context + " remove " + norm(k));
            } else {
                boolean present = model.containsKey(norm(k));
                model.remove(norm(k));
                assertEquals(present, map.delete(k), context + " delete " + norm(k));
            }
        } else if (dice < 850) {
            Object k = randomKey();
            assertEquals(model.get(norm(k)), norm(map.get(k)), context + " get " + norm(k));
            assertEquals(model.containsKey(norm(k)), map.containsKey(k), context + " containsKey " + norm(k));
        } else if (dice < 880) {
            Object k = randomKey();
            Object v = randomValue();
            assertEquals(model.putIfAbsent(norm(k), norm(v)), norm(map.putIfAbsent(k, v)), context + " putIfAbsent");
        } else if (dice < 900) {
            Object k = randomKey();
            Object v = randomValue();
            boolean fresh = !model.containsKey(norm(k));
            model.put(norm(k), norm(v));
            assertEquals(fresh, map.set(k, v), context + " set");
        } else if (dice < 920) {
            Object k = randomKey();
            assertEquals(model.keySet().remove(norm(k)), map.keySet().remove(k), context + " keySet.remove");
        } else if (dice < 950) {
            transactionBatch(context, false);
        } else if (dice < 965) {
            transactionBatch(context, true);
        } else if (dice < 980) {
            Map<Object, Object> batch = new HashMap<>();
            for (int i = 0; i < 5; i++) {
                batch.put(randomKey(), randomValue());
            }
            batch.forEach((k, v) -> model.put(norm(k), norm(v)));
            map.putAll(batch);
        } else if (dice < 985) {
            Object v = randomValue();
            assertEquals(model.containsValue(norm(v)), map.containsValue(v), context + " containsValue " + norm(v));
        } else if (dice < 990) {
            iteratorRemoveAndSetValue(context);
        } else if (dice == 999 && random.nextInt(4) == 0) {
            model.clear();
            map.clear();
            assertEquals(0, map.size(), context);
        } else {
            assertEquals(model.size(), map.size(), context + " size");
            assertEquals(model.isEmpty(), map.isEmpty(), context + " isEmpty");
        }
    }

    /** A few operations in one caller transaction; with {@code rollBack}, the transaction throws and nothing may change. */
    private void transactionBatch(String context, boolean rollBack) {
        HashMap<Object, Object> expected = new HashMap<>(model);
        List<Object[]> ops = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
            ops.add(new Object[] {random.nextInt(3), randomKey(), randomValue()});
        }
        try {
            heap.transaction(tx -> {
                for (Object[] op : ops) {
                    switch ((int) op[0]) {
                        case 0, 1 -> assertEquals(expected.put(norm(op[1]), norm(op[2])), norm(map.put(op[1], op[2])), context);
                        default -> assertEquals(expected.remove(norm(op[1])), norm(map.remove(op[1])), context);
                    }
                }
                if (rollBack) {
                    throw new IllegalStateException("roll back");
                }
            });
            assertFalse(rollBack);
            model.clear();
            model.putAll(expected);
        } catch (IllegalStateException e) {
            assertTrue(rollBack, context + ": " + e);
            compareAll(context + " after rollback");
        }
    }

    private void iteratorRemoveAndSetValue(String context) {
        Iterator<Map.Entry<Object, Object>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Object, Object> e = it.next();
            int dice = random.nextInt(20);
            if (dice == 0) {
                assertEquals(model.remove(norm(e.getKey())), norm(e.getValue()), context + " iterator");
                it.remove();
            } else if (dice == 1) {
                Object v = randomValue();
                assertEquals(model.put(norm(e.getKey()), norm(v)), norm(e.setValue(v)), context + " setValue");
                assertEquals(norm(v), norm(e.getValue()), context + " getValue after setValue");
            }
        }
    }

    private void compareAll(String context) {
        assertEquals(model.size(), map.size(), context + " size");
        HashMap<Object, Object> seen = new HashMap<>();
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            assertNull(seen.put(norm(e.getKey()), norm(e.getValue())), context + ": key seen twice " + norm(e.getKey()));
        }
        assertEquals(model, seen, context + " contents");
        List<Object> values = new ArrayList<>();
        map.values().forEach(v -> values.add(norm(v)));
        assertEquals(model.size(), values.size(), context + " values");
        int keys = 0;
        for (Object k : map.keySet()) {
            assertTrue(map.containsKey(k), context + " key from keySet not found: " + norm(k));
            assertEquals(model.get(norm(k)), norm(map.get(k)), context + " get");
            keys++;
        }
        assertEquals(model.size(), keys, context + " keys");
        assertEquals(List.of(), map.core().invariantProblems(), context);
    }
}
