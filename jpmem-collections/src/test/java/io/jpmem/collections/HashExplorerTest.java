package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.explorer.Explorer;
import io.jpmem.explorer.Scenario;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-fail explorer (SIMULATED domain) over PHashMap's and PHashSet's mutations: every crash
 * image, at every store and fence, must recover with a clean heap check to the state before or
 * after the operation. Covers: put of a new key, put that overwrites (frees the old copy), remove,
 * the put that starts a rehash (allocates the new table), a rehash step, the step that ends a
 * rehash (frees the old table), the remove that starts a shrink, clear, two operations in one caller transaction, and a set add.
 */
class HashExplorerTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static PHashMap<Object, Object> map(PersistentHeap heap) {
        return ObjectSpace.of(heap).root("map", PHashMap.class);
    }

    /** Creates the root map and fills it with {@code fill}. */
    private static Consumer<PersistentHeap> setUp(Consumer<PHashMap<Object, Object>> fill) {
        return heap -> {
            heap.transaction(tx -> ObjectSpace.of(heap).setRoot("map", new PHashMap<>()));
            fill.accept(map(heap));
        };
    }

    private static void longs(PHashMap<Object, Object> map, int count) {
        for (long i = 0; i < count; i++) {
            map.put(i, "v" + i);
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("scenario set-up is not what it should be: " + what);
        }
    }

    /** A tmpfs when there is one: the explorer writes a file per crash image. */
    private Path workDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jpmem-hash-explorer-") : dir;
    }

    @Test
    void hashMapMutationsRecoverToBeforeOrAfter() throws IOException {
        Path work = workDirectory();
        try {
            explore(work);
        } finally {
            if (!work.equals(dir)) {
                try (var files = Files.list(work)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(work);
            }
        }
    }

    private void explore(Path work) {
        Explorer explorer = new Explorer(Explorer.Options.fromSystemProperties(work));
        long states = 0;
        List<Scenario> scenarios = List.of(
                Scenario.of("phashmap-put-new-key", setUp(m -> m.put("a", "1")), heap -> map(heap).put("b", "2")),
                Scenario.of("phashmap-put-overwrite", setUp(m -> m.put("a", "old")), heap -> map(heap).put("a", "new")),
                Scenario.of("phashmap-remove", setUp(m -> {
                    m.put("a", "1");
                    m.put("b", "2");
                }), heap -> map(heap).remove("a")),
                Scenario.of("phashmap-put-starts-rehash", setUp(m -> {
                    longs(m, 8);
                    require(!m.core().rehashing(), "8 entries in 8 buckets");
                }), heap -> {
                    map(heap).put(8L, "v8");
                    require(map(heap).core().rehashing(), "the 9th entry starts a rehash");
                }),
                Scenario.of("phashmap-rehash-step", setUp(m -> {
                    longs(m, 9);
                    require(m.core().rehashing(), "rehash in progress");
                }), heap -> {
                    map(heap).put(100L, "w");
                    require(map(heap).core().rehashing(), "the step does not end it");
                }),
                Scenario.of("phashmap-rehash-ends", setUp(m -> {
                    longs(m, 9);
                    for (long i = 9; i < 12; i++) {
                        m.put(i, "w"); // each insert moves 2 of the 8 old buckets
                    }
                    require(m.core().rehashing(), "rehash in progress with 2 buckets left");
                }), heap -> {
                    map(heap).put(12L, "w");
                    require(!map(heap).core().rehashing(), "the last step ends the rehash");
                }),
                Scenario.of("phashmap-remove-starts-shrink", setUp(m -> {
                    longs(m, 25);
                    for (long i = 4; i < 25; i++) {
                        m.remove(i);
                    }
                    require(!m.core().rehashing() && m.size() == 4, "4 entries in 32 buckets");
                }), heap -> {
                    map(heap).remove(3L);
                    require(map(heap).core().rehashing(), "3 entries in 32 buckets start a shrink");
                }),
                Scenario.of("phashmap-clear", setUp(m -> longs(m, 3)), heap -> map(heap).clear()),
                Scenario.of("phashmap-caller-transaction", setUp(m -> longs(m, 3)), heap -> heap.transaction(tx -> {
                    map(heap).remove(0L);
                    map(heap).put("x", new byte[] {1, 2, 3});
                })),
                Scenario.of("phashset-add", heap -> {
                    heap.transaction(tx -> ObjectSpace.of(heap).setRoot("set", new PHashSet<>()));
                    @SuppressWarnings("unchecked")
                    PHashSet<String> set = ObjectSpace.of(heap).root("set", PHashSet.class);
                    set.add("a");
                }, heap -> {
                    @SuppressWarnings("unchecked")
                    PHashSet<Object> set = ObjectSpace.of(heap).root("set", PHashSet.class);
                    set.add("b");
                }));
        for (Scenario scenario : scenarios) {
            Explorer.Report report = explorer.explore(scenario);
            assertEquals(List.of(), report.violations(), scenario.name());
            assertTrue(report.crashStates() > 10, scenario.name() + ": " + report.crashStates());
            states += report.crashStates();
            System.out.println(scenario.name() + ": crash-points=" + report.crashPoints() + " crash-states=" + report.crashStates());
        }
        System.out.println("hash crash-states=" + states + " violations=0 seed=" + explorer.options().seed());
    }
}
