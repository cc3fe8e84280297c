package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PHashMap#scan} and {@link PHashSet#scan} keep Redis's SCAN guarantee: full iterations
 * run with random inserts and deletes between their steps — phases of growth and of shrinking, so
 * that tables double, halve and are mid-rehash while a cursor is out — and a model checks that
 * every key present from the start of an iteration to its end was returned at least once, that
 * nothing returned was absent for the whole iteration, and that values are right. Seeded:
 * {@code -Djpmem.seed} replays a run; {@code -Djpmem.scanOps} sets the number of mutations.
 */
class HashScanTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;

    @AfterEach
    void close() {
        if (heap != null) {
            heap.close();
        }
    }

    private static long valueOf(long key) {
        return key * 31 + 7;
    }

    /** What one full iteration saw, and what the model says it had to see. */
    private static final class Iteration {
        final Set<Long> presentAtStart;
        final Set<Long> removed = new HashSet<>();
        final Set<Long> everPresent;
        final Set<Long> returned = new HashSet<>();

        Iteration(Set<Long> model) {
            presentAtStart = new HashSet<>(model);
            everPresent = new HashSet<>(model);
        }

        void check(String context) {
            Set<Long> missed = new HashSet<>(presentAtStart);
            missed.removeAll(removed);
            missed.removeAll(returned);
            assertEquals(Set.of(), missed, "present throughout but not returned, " + context);
            Set<Long> ghosts = new HashSet<>(returned);
            ghosts.removeAll(everPresent);
            assertEquals(Set.of(), ghosts, "returned but absent throughout, " + context);
        }
    }

    @Test
    void everyKeyPresentThroughoutIsReturnedAcrossGrowthShrinkAndRehash() {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println("HashScanTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        heap = PersistentHeap.create(dir.resolve("scan.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(64L << 20));
        ObjectSpace space = ObjectSpace.of(heap);
        PHashMap<Long, Long> map = heap.transactionResult(tx -> {
            PHashMap<Long, Long> m = new PHashMap<>();
            space.setRoot("map", m);
            return m;
        });
        assertEquals(0, map.scan(0, (k, v) -> fail("empty")), "a map without a table: done at once");
        HashCore core = map.core();
        Set<Long> model = new HashSet<>();
        int ops = Integer.getInteger("jpmem.scanOps", 150_000);
        int done = 0;
        int iterations = 0;
        int stepsWhileRehashing = 0;
        int grows = 0;
        int shrinks = 0;
        boolean growing = true;
        long lastMask = -1;
        while (done < ops) {
            Iteration it = new Iteration(model);
            String context = "iteration " + iterations + " seed " + seed;
            long cursor = 0;
            int steps = 0;
            do {
                stepsWhileRehashing += core.rehashing() ? 1 : 0;
                cursor = map.scan(cursor, (k, v) -> {
                    assertEquals(valueOf(k), v, "value of " + k + ", " + context);
                    it.returned.add(k);
                });
                steps++;
                assertTrue(steps < 1_000_000, "the iteration ends, " + context);
                int mutations = random.nextInt(4);
                for (int m = 0; m < mutations; m++, done++) {
                    if (model.size() > 4000) {
                        growing = false;
                    } else if (model.size() < 20) {
                        growing = true;
                    }
                    long key = random.nextLong(6000);
                    boolean insert = random.nextInt(10) < (growing ? 8 : 2);
                    if (insert) {
                        map.set(key, valueOf(key));
                        model.add(key);
                        it.everPresent.add(key);
                    } else if (model.contains(key) || random.nextBoolean()) {
                        map.delete(key);
                        if (model.remove(key)) {
                            it.removed.add(key);
                        }
                    } else if (!model.isEmpty()) { // delete a present key: shrinking needs hits
                        Long present = model.iterator().next();
                        map.delete(present);
                        model.remove(present);
                        it.removed.add(present);
                    }
                    long mask = heap.getLong(map.$jpmemRef() + HashLayout.MASK);
                    if (lastMask >= 0 && mask > lastMask) {
                        grows++;
                    } else if (lastMask >= 0 && mask < lastMask) {
                        shrinks++;
                    }
                    lastMask = mask;
                }
            } while (cursor != 0);
            it.check(context);
            iterations++;
        }
        assertEquals(model.size(), map.size());
        System.out.println("HashScanTest iterations=" + iterations + " grows=" + grows + " shrinks=" + shrinks
                + " stepsWhileRehashing=" + stepsWhileRehashing);
        assertTrue(grows >= 5 && shrinks >= 5, "tables grew " + grows + " and shrank " + shrinks + " times");
        assertTrue(stepsWhileRehashing > 1000, "steps taken mid-rehash: " + stepsWhileRehashing);
    }

    /** Without changes between steps, a full iteration returns each element exactly once (no bucket is visited twice). */
    @Test
    void aStableSetIsReturnedExactlyOnceAndTheCallbackMayChangeIt() {
        heap = PersistentHeap.create(dir.resolve("set.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(32L << 20));
        ObjectSpace space = ObjectSpace.of(heap);
        PHashSet<String> set = heap.transactionResult(tx -> {
            PHashSet<String> s = new PHashSet<>();
            space.setRoot("set", s);
            return s;
        });
        for (int i = 0; i < 3000; i++) {
            set.add("member:" + i);
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = set.scan(cursor, seen::add);
        } while (cursor != 0);
        assertEquals(3000, seen.size(), "each element once");
        assertEquals(set, new HashSet<>(seen));

        Map<String, Integer> returned = new HashMap<>();
        cursor = 0;
        do {
            cursor = set.scan(cursor, e -> {
                returned.merge(e, 1, Integer::sum);
                set.remove(e); // the step's elements were read before the action runs
            });
        } while (cursor != 0);
        assertEquals(3000, returned.size());
        assertTrue(set.isEmpty(), "every element was returned and removed");
    }
}
