package io.jpmem.explorer;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.util.function.Consumer;

/**
 * One operation for the {@link Explorer} to crash at every step: the extension point through which
 * every layer adds its own operations.
 *
 * <pre>{@code
 * Scenario.of("push", heap -> list = PList.create(heap), heap -> list.add("x"));
 * }</pre>
 *
 * <p>{@link #setUp} runs first and is not explored; {@link #run} is explored. Both must be
 * deterministic (the explorer may run them more than once on fresh heaps), and the operation must
 * leave the heap consistent whether it completes or not (one transaction, or steps each atomic).
 */
public interface Scenario {

    /** {@return the name printed in reports} */
    String name();

    /** Prepares the heap (not explored). */
    void setUp(PersistentHeap heap);

    /** The operation explored. */
    void run(PersistentHeap heap);

    /**
     * {@return whether a recovered dump other than "before" and "after" is acceptable} For
     * operations made of several atomic steps (say, a root update outside any transaction followed
     * by a transaction), the intermediate states; document them where the scenario is defined.
     */
    default boolean allowed(String dump) {
        return false;
    }

    /** {@return the options of the small heap the scenario runs on (its durability is replaced by SIMULATED)} */
    default HeapOptions options() {
        return HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(512 << 10).withLogSlots(2, 4096);
    }

    /** {@return a scenario from a name and two actions} */
    static Scenario of(String name, Consumer<PersistentHeap> setUp, Consumer<PersistentHeap> run) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void setUp(PersistentHeap heap) {
                setUp.accept(heap);
            }

            @Override
            public void run(PersistentHeap heap) {
                run.accept(heap);
            }
        };
    }

    /**
     * {@return a scenario of two operations run on two threads, interleaved at store granularity by
     * the explorer's seeded scheduler} They must touch disjoint data; the states allowed after a
     * crash are: before, after the first alone, after the second alone, and after both.
     */
    static Scenario concurrent(String name, Consumer<PersistentHeap> setUp, Consumer<PersistentHeap> first,
                               Consumer<PersistentHeap> second) {
        return new ConcurrentScenario(name, setUp, first, second, false);
    }

    /**
     * {@return {@link #concurrent}, with the heap closed and opened again between the set-up and the
     * operations} They then meet a heap whose allocator has loaded no chunk: its first loads race the
     * other thread's commit (a chunk's bitmap read while a free of one of its blocks commits).
     */
    static Scenario concurrentAfterReopen(String name, Consumer<PersistentHeap> setUp, Consumer<PersistentHeap> first,
                                          Consumer<PersistentHeap> second) {
        return new ConcurrentScenario(name, setUp, first, second, true);
    }
}
