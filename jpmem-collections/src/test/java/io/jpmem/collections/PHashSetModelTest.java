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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-based conformance of {@link PHashSet} against {@link java.util.HashSet}: random adds,
 * removes, lookups, bulk adds (atomic), iterator removals and rolled-back transactions, with String,
 * Long, byte[] and persistent-object elements, across reopens, through grow and shrink phases.
 * {@code -Djpmem.seed} replays a run.
 */
class PHashSetModelTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;
    private ObjectSpace space;
    private PHashSet<Object> set;
    private final List<Object> objects = new ArrayList<>();
    private final Set<Object> model = new HashSet<>();
    private SplittableRandom random;

    @AfterEach
    void close() {
        if (heap != null) {
            heap.close();
        }
    }

    @Test
    void randomOperationsMatchHashSetAcrossReopens() {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println("PHashSetModelTest seed=" + seed);
        random = new SplittableRandom(seed);
        Path path = dir.resolve("set.heap");
        heap = PersistentHeap.create(path, HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(32L << 20));
        space = ObjectSpace.of(heap);
        heap.transaction(tx -> {
            set = new PHashSet<>();
            space.setRoot("set", set);
            PersistentRefArray<Object> objs = new PersistentRefArray<>(8);
            for (int i = 0; i < 8; i++) {
                objs.set(i, i % 2 == 0 ? new PersistentLongArray(1) : new PointKey(i));
            }
            space.setRoot("objects", objs);
        });
        load();
        int ops = Integer.getInteger("jpmem.hashModelOps", 40_000) / 2;
        for (int i = 0; i < ops; i++) {
            String context = "op " + i + " seed " + seed;
            step((i / 5000) % 2 == 0, context);
            if (i % 1000 == 999) {
                compareAll(context);
            }
            if (i % 5000 == 4999) {
                heap.close();
                heap = PersistentHeap.open(path, Durability.PROCESS);
                assertEquals(List.of(), heap.check(), context);
                assertEquals(0, heap.unreachableBlocks(), context);
                space = ObjectSpace.of(heap);
                load();
                compareAll(context + " after reopen");
            }
        }
        compareAll("end seed " + seed);
    }

    @SuppressWarnings("unchecked")
    private void load() {
        set = space.root("set", PHashSet.class);
        objects.clear();
        PersistentRefArray<Object> objs = space.root("objects", PersistentRefArray.class);
        for (int i = 0; i < 8; i++) {
            objects.add(objs.get(i));
        }
    }

    private Object randomElement() {
        int n = random.nextInt(500);
        return switch (random.nextInt(5)) {
            case 0 -> "e" + n;
            case 1 -> (long) n;
            case 2 -> ("b" + n).getBytes(StandardCharsets.UTF_8);
            case 3 -> objects.get(n % objects.size());
            default -> n == 0 ? null : "element-" + n + "-".repeat(n % 30);
        };
    }

    private void step(boolean growing, String context) {
        int dice = random.nextInt(100);
        if (dice < (growing ? 55 : 15)) {
            Object e = randomElement();
            assertEquals(model.add(norm(e)), set.add(e), context + " add " + norm(e));
        } else if (dice < 75) {
            Object e = randomElement();
            assertEquals(model.remove(norm(e)), set.remove(e), context + " remove " + norm(e));
        } else if (dice < 90) {
            Object e = randomElement();
            assertEquals(model.contains(norm(e)), set.contains(e), context + " contains " + norm(e));
        } else if (dice < 94) {
            List<Object> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batch.add(randomElement());
            }
            boolean changed = false;
            for (Object e : batch) {
                changed |= model.add(norm(e));
            }
            assertEquals(changed, set.addAll(batch), context + " addAll");
        } else if (dice < 97) {
            Object e = randomElement();
            assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                set.add(e);
                set.remove(randomElement());
                throw new IllegalStateException("roll back");
            }));
            assertEquals(model.size(), set.size(), context + " size after rollback");
        } else if (dice < 98) {
            for (Iterator<Object> it = set.iterator(); it.hasNext(); ) {
                Object e = it.next();
                if (random.nextInt(15) == 0) {
                    assertTrue(model.remove(norm(e)), context + " iterator");
                    it.remove();
                }
            }
        } else {
            assertEquals(model.size(), set.size(), context + " size");
        }
    }

    private void compareAll(String context) {
        Set<Object> seen = new HashSet<>();
        for (Object e : set) {
            assertTrue(seen.add(norm(e)), context + ": seen twice " + norm(e));
        }
        assertEquals(model, seen, context);
        assertEquals(model.size(), set.size(), context);
        assertEquals(List.of(), set.core().invariantProblems(), context);
    }
}
