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
 * The power-fail explorer (SIMULATED domain) over PSortedMap's mutations: every crash image at every
 * store and fence must recover, with a clean heap check, to the state before or after the operation.
 * Put of a new key (plain; splitting a leaf under an inner root, String keys with separator copies;
 * splitting a leaf, then the full inner root, growing a new root), overwrite, remove of the last
 * entry (its key bytes freed), and a remove that merges two leaves, then two inner nodes, then
 * collapses the root. (A root leaf split, a poll, and a leaf merge freeing a String separator share
 * these paths; the SIGKILL and conformance tests cover them.)
 * Prints {@code sorted crash-states=N violations=0} and the seed ({@code -Djpmem.seed=S} replays).
 */
class PSortedMapExplorerTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static PSortedMap<Object, Object> map(PersistentHeap heap) {
        return ObjectSpace.of(heap).root("map", PSortedMap.class);
    }

    /** Set-up: a map rooted at "map" holding {@code keys[i] -> "v" + i}, built in one transaction. */
    private static Consumer<PersistentHeap> mapOf(Object... keys) {
        return mapOf(true, keys);
    }

    /** Set-up: as {@link #mapOf(Object...)}, with null values unless {@code values} (fewer blocks: faster to explore). */
    private static Consumer<PersistentHeap> mapOf(boolean values, Object... keys) {
        return heap -> heap.transaction(tx -> {
            PSortedMap<Object, Object> map = new PSortedMap<>();
            ObjectSpace.of(heap).setRoot("map", map);
            for (int i = 0; i < keys.length; i++) {
                map.put(keys[i], values ? "v" + i : null);
            }
        });
    }

    private static Object[] strings(int from, int to) {
        Object[] keys = new Object[to - from];
        for (int i = from; i < to; i++) {
            keys[i - from] = String.format("key%03d", i);
        }
        return keys;
    }

    private static Object[] longs(int count) {
        Object[] keys = new Object[count];
        for (int i = 0; i < count; i++) {
            keys[i] = (long) i * 10;
        }
        return keys;
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.of("sorted-put-new-key", mapOf(longs(10)), heap -> map(heap).put(55L, "new")),
                // 47 ascending keys: leaves of 16 and 31 under an inner root; one more splits the full leaf
                Scenario.of("sorted-put-leaf-split-under-inner", mapOf(strings(0, 47)), heap -> map(heap).put("key999", "split")),
                // 1,023 ascending keys: an inner root with 63 children, the last leaf full; one more key
                // splits the leaf, then the root inner node, and grows a new root (height 1 -> 2)
                Scenario.of("sorted-put-inner-split-new-root", mapOf(false, longs(1023)), heap -> map(heap).put(100_000L, null)),
                Scenario.of("sorted-overwrite", mapOf(strings(0, 20)), heap -> map(heap).put("key007", "replaced")),
                Scenario.of("sorted-remove-last-entry", mapOf("only"), heap -> map(heap).remove("only")),
                // height 2, the left inner node at its minimum: removing the first key merges two leaves,
                // then the two inner nodes, then collapses the root (height 2 -> 1)
                Scenario.of("sorted-remove-inner-merge-collapse", PSortedMapExplorerTest::innerAtMinimum,
                        heap -> map(heap).remove(map(heap).firstKey())));
    }

    /**
     * Set-up: 1,024 ascending Long keys (an inner root over two inner nodes of 32 leaves), then the
     * first keys removed until the left inner node has {@code INNER_MIN} children and its first leaf
     * {@code LEAF_MIN} entries: the next removal of the first key cascades.
     */
    static void innerAtMinimum(PersistentHeap heap) {
        mapOf(false, longs(1024)).accept(heap);
        PSortedMap<Object, Object> map = map(heap);
        SortedNodes.Shape s = SortedNodes.Shape.INLINE;
        while (true) {
            long root = heap.getRef(ObjectSpace.of(heap).refOf(map) + PSortedMap.ROOT);
            long left = heap.getRef(s.innerChild(root, 0));
            if (heap.getLong(left + SortedNodes.INNER_COUNT) == SortedNodes.INNER_MIN
                    && heap.getLong(s.innerCount(left, 0)) == SortedNodes.LEAF_MIN) {
                return;
            }
            map.remove(map.firstKey());
        }
    }

    @Test
    void sortedMapMutationsRecoverToBeforeOrAfter() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path work = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jpmem-sorted-") : dir;
        Explorer explorer = new Explorer(Explorer.Options.fromSystemProperties(work));
        System.out.println("sorted explorer seed=" + explorer.options().seed());
        long states = 0;
        try {
            for (Scenario scenario : scenarios()) {
                Explorer.Report report = explorer.explore(scenario);
                System.out.println("  " + report.scenario() + ": crash-points=" + report.crashPoints()
                        + " crash-states=" + report.crashStates() + " violations=" + report.violations().size());
                assertEquals(List.of(), report.violations(), scenario.name());
                assertTrue(report.crashStates() > 10, scenario.name() + ": " + report.crashStates());
                states += report.crashStates();
            }
        } finally {
            if (!work.equals(dir)) {
                try (var files = Files.list(work)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(work);
            }
        }
        System.out.println("sorted crash-states=" + states + " violations=0");
    }

    /** The scenarios' set-ups build the shapes their comments claim (else they would explore something else). */
    @Test
    void scenarioSetUpsHaveTheShapesTheyClaim(@TempDir Path tmp) {
        try (PersistentHeap heap = PersistentHeap.create(tmp.resolve("shape.heap"), io.jpmem.heap.HeapOptions.defaults()
                .withDurability(io.jpmem.persist.Durability.PROCESS).withMaxByteSize(4L << 20))) {
            mapOf(strings(0, 47)).accept(heap);
            PSortedMap<Object, Object> map = map(heap);
            long header = ObjectSpace.of(heap).refOf(map);
            assertEquals(1, PSortedMap.heightOf(heap.getLong(header + PSortedMap.META)));
            long root = heap.getRef(header + PSortedMap.ROOT);
            assertEquals(2, heap.getLong(root + SortedNodes.INNER_COUNT));
            assertEquals(31, heap.getLong(SortedNodes.Shape.PREFIXED.innerCount(root, 1)), "the right leaf is full");
            heap.roots().remove("map");
            mapOf(false, longs(1023)).accept(heap);
            long big = ObjectSpace.of(heap).refOf(map(heap));
            assertEquals(1, PSortedMap.heightOf(heap.getLong(big + PSortedMap.META)));
            long bigRoot = heap.getRef(big + PSortedMap.ROOT);
            assertEquals(SortedNodes.INNER_CAPACITY, heap.getLong(bigRoot + SortedNodes.INNER_COUNT), "the inner root is full");
            assertEquals(SortedNodes.LEAF_CAPACITY, heap.getLong(SortedNodes.Shape.INLINE.innerCount(bigRoot, SortedNodes.INNER_CAPACITY - 1)),
                    "its last leaf is full");
            heap.roots().remove("map");
            innerAtMinimum(heap);
            long atMin = ObjectSpace.of(heap).refOf(map(heap));
            assertEquals(2, PSortedMap.heightOf(heap.getLong(atMin + PSortedMap.META)));
            long minRoot = heap.getRef(atMin + PSortedMap.ROOT);
            assertEquals(2, heap.getLong(minRoot + SortedNodes.INNER_COUNT));
            long right = heap.getRef(SortedNodes.Shape.INLINE.innerChild(minRoot, 1));
            assertTrue(SortedNodes.INNER_MIN - 1 + heap.getLong(right + SortedNodes.INNER_COUNT) <= SortedNodes.INNER_CAPACITY,
                    "the inner nodes can merge");
            map(heap).remove(map(heap).firstKey());
            assertEquals(1, PSortedMap.heightOf(heap.getLong(atMin + PSortedMap.META)), "the removal collapsed the root");
            assertEquals(List.of(), map(heap).checkStructure());
        }
    }
}
