package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Threads share one heap: roots, types and raw words from four threads at once. */
class ConcurrencyTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Durability.class)
    void threadsShareRootsTypesAndRawWords(Durability durability) throws Exception {
        Path file = dir.resolve("mt.heap");
        int threads = 4;
        int rounds = durability == Durability.POWER ? 100 : 400;
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(durability));
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    long slot = heap.objectAreaOffset() + 4096L * id;
                    heap.types().register(TypeLayout.ofRecord("T" + (id % 2), 8, FieldLayout.of("v", FieldKind.LONG, 0)));
                    for (int r = 0; r < rounds; r++) {
                        heap.putLong(slot + 8L * (r % 64), r);
                        heap.persist(slot + 8L * (r % 64), 8);
                        String name = "t" + id + "-" + (r % 5);
                        if (heap.roots().get(name).isPresent()) {
                            heap.roots().set(name, 0);
                            heap.roots().remove(name);
                        } else {
                            heap.roots().create(name, 0);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            assertEquals(List.of(), heap.check());
            assertEquals(2, heap.types().all().size(), "two names registered by four threads: two types");
        }
        try (PersistentHeap heap = PersistentHeap.open(file, durability)) {
            assertEquals(List.of(), heap.check());
            for (int t = 0; t < threads; t++) {
                long slot = heap.objectAreaOffset() + 4096L * t;
                for (int w = 0; w < 64; w++) {
                    long expected = (rounds - 1 - w) / 64 * 64 + w; // the last round r with r % 64 == w
                    assertEquals(expected, heap.getLong(slot + 8L * w), "thread " + t + " word " + w);
                }
                for (int k = 0; k < 5; k++) {
                    // each name toggled rounds/5 times: created on odd visits, removed on even ones
                    boolean present = (rounds / 5) % 2 == 1;
                    assertEquals(present, heap.roots().get("t" + t + "-" + k).isPresent());
                }
            }
        }
    }
}
