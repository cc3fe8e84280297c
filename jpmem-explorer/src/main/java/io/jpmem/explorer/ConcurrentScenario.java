package io.jpmem.explorer;

import io.jpmem.heap.PersistentHeap;
import java.util.Set;
import java.util.function.Consumer;

/** Two operations on two threads; see {@link Scenario#concurrent}. */
final class ConcurrentScenario implements Scenario {

    final String name;
    final Consumer<PersistentHeap> setUp;
    final Consumer<PersistentHeap> first;
    final Consumer<PersistentHeap> second;
    /** Whether the heap is closed and opened again between the set-up and the operations. */
    final boolean reopen;
    /** Filled by the explorer: the dumps after the first alone and after the second alone. */
    Set<String> alone = Set.of();

    ConcurrentScenario(String name, Consumer<PersistentHeap> setUp, Consumer<PersistentHeap> first,
                       Consumer<PersistentHeap> second, boolean reopen) {
        this.reopen = reopen;
        this.name = name;
        this.setUp = setUp;
        this.first = first;
        this.second = second;
    }

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
        throw new UnsupportedOperationException("the explorer runs the two operations itself");
    }

    @Override
    public boolean allowed(String dump) {
        return alone.contains(dump);
    }
}
