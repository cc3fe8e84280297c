package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpmem.heap.testing.HeapExtension;
import io.jpmem.heap.testing.HeapTest;
import io.jpmem.persist.Durability;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Five threads at once allocate, free and update private blocks (each its own list of slots), and
 * update shared counters under a transaction lock, with some transactions rolled back; between rounds
 * the heap is closed and reopened. After each round: the heap's check finds nothing, no block is
 * unreachable (nothing leaked), the shared counters' sum equals what committed, and every private
 * block holds the value its owner last committed. {@code -Djpmem.seed} replays a run.
 */
class ConcurrentStressTest {

    private static final TypeLayout BOX = TypeLayout.ofRecord("stress.Box", 16,
            FieldLayout.of("value", FieldKind.LONG, 0), FieldLayout.of("owner", FieldKind.LONG, 8));
    private static final TypeLayout SLOTS = TypeLayout.ofArray("stress.Slots", FieldKind.REF);
    private static final int THREADS = 5;
    private static final int SLOTS_PER_THREAD = 64;
    private static final int COUNTERS = 4;

    @HeapTest({Durability.PROCESS, Durability.POWER})
    void threadsAllocatingFreeingAndUpdatingKeepTheHeapSoundAcrossReopens(HeapExtension.Handle handle) throws Exception {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        System.out.println("ConcurrentStressTest seed=" + seed + " durability=" + handle.durability());
        SplittableRandom seeds = new SplittableRandom(seed);
        PersistentHeap heap = handle.heap();
        HeapType box = heap.types().register(BOX);
        HeapType slots = heap.types().register(SLOTS);
        heap.transaction(tx -> {
            long table = tx.allocateArray(slots, (long) THREADS * SLOTS_PER_THREAD);
            long counters = tx.allocateArray(slots, COUNTERS);
            for (int i = 0; i < COUNTERS; i++) {
                long c = tx.allocate(box);
                tx.putRef(counters + 8L * i, c);
            }
            heap.roots().create("table", table);
            heap.roots().create("counters", counters);
        });
        long[] expectedSum = {0};
        long[][] expectedValue = new long[THREADS][SLOTS_PER_THREAD]; // 0: empty slot
        for (int round = 0; round < 6; round++) {
            PersistentHeap h = round == 0 ? heap : handle.reopen();
            HeapType boxType = h.types().find("stress.Box").orElseThrow();
            long table = h.roots().get("table").orElseThrow();
            long counters = h.roots().get("counters").orElseThrow();
            ReentrantLock counterLock = new ReentrantLock();
            long[] committedAdds = new long[THREADS];
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                SplittableRandom random = seeds.split();
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int op = 0; op < 400; op++) {
                            int slot = random.nextInt(SLOTS_PER_THREAD);
                            long at = table + 8L * (me * SLOTS_PER_THREAD + slot);
                            long add = random.nextInt(1, 10);
                            boolean rollBack = random.nextInt(8) == 0;
                            long newValue = random.nextLong(1, Long.MAX_VALUE);
                            int choice = random.nextInt(3);
                            try {
                                h.transaction(tx -> {
                                    long current = h.getRef(at);
                                    if (choice == 0 || current == 0) {          // replace: allocate a new box, free the old
                                        long b = tx.allocate(boxType);
                                        tx.putLong(b, newValue);
                                        tx.putLong(b + 8, me);
                                        tx.putRef(at, b);
                                        if (current != 0) {
                                            tx.free(current);
                                        }
                                    } else if (choice == 1) {                   // update in place
                                        tx.putLong(current, newValue);
                                    } else {                                   // free and empty the slot
                                        tx.putRef(at, 0);
                                        tx.free(current);
                                    }
                                    tx.lock(counterLock);                      // shared data: two-phase locking
                                    long c = h.getRef(counters + 8L * random.nextInt(COUNTERS));
                                    tx.putLong(c, h.getLong(c) + add);
                                    if (rollBack) {
                                        throw new IllegalStateException("roll back");
                                    }
                                });
                                committedAdds[me] += add;
                                expectedValue[me][slot] = choice == 2 && h.getRef(at) == 0 ? 0 : newValue;
                            } catch (IllegalStateException rolledBack) {
                                if (!rollBack) {
                                    throw rolledBack;
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("seed " + seed + " round " + round, failure.get());
            }
            for (long a : committedAdds) {
                expectedSum[0] += a;
            }
            PersistentHeap reopened = handle.reopen();
            assertEquals(List.of(), reopened.check(), "seed " + seed + " round " + round);
            assertEquals(0, reopened.unreachableBlocks(), "leaked blocks, seed " + seed + " round " + round);
            long sum = 0;
            long cs = reopened.roots().get("counters").orElseThrow();
            for (int i = 0; i < COUNTERS; i++) {
                sum += reopened.getLong(reopened.getRef(cs + 8L * i));
            }
            assertEquals(expectedSum[0], sum, "counters, seed " + seed + " round " + round);
            long t0 = reopened.roots().get("table").orElseThrow();
            for (int t = 0; t < THREADS; t++) {
                for (int s = 0; s < SLOTS_PER_THREAD; s++) {
                    long b = reopened.getRef(t0 + 8L * (t * SLOTS_PER_THREAD + s));
                    long value = b == 0 ? 0 : reopened.getLong(b);
                    assertEquals(expectedValue[t][s], value, "thread " + t + " slot " + s + ", seed " + seed);
                    if (b != 0) {
                        assertEquals(t, reopened.getLong(b + 8), "owner of thread " + t + "'s block");
                    }
                }
            }
        }
    }
}
