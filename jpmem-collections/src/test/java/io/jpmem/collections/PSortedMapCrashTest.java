package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.RecoveryReport;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.KillLoop;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs apply random puts, removes, batches and polls to a PSortedMap and are killed with
 * SIGKILL (from outside at random moments, or by themselves at a random persist barrier). After
 * each kill: reopen (recovery), the heap check, no block reclaimed by the recovery GC, the tree's
 * structure (order, separators, counts, zeroed slots, depth), and its contents equal to a TreeMap
 * that replayed exactly the operations the heap says committed. {@code -Djpmem.sortedKills=N} sets
 * the number of kills (default 60); {@code -Djpmem.seed=S} replays a run.
 */
class PSortedMapCrashTest {

    @TempDir
    Path dir;

    /** One model per heap file: the loop's undo-log heap and its write-ahead-logged one. */
    private final Map<Path, TreeMap<String, Long>> models = new java.util.HashMap<>();
    private final Map<Path, long[]> opsDone = new java.util.HashMap<>();
    private long modelOps;
    private long maxSize;

    @Test
    void sortedMapSurvivesSigkillWithExactlyTheCommittedOperations() throws Exception {
        Path file = dir.resolve("sorted-crash.heap");
        long[] runSeed = {0};
        KillLoop.Result result = KillLoop.of("PSortedMapCrashTest", Integer.getInteger("jpmem.sortedKills", 60)).run(file,
                kill -> {
                    if (kill.index() == 0) {
                        runSeed[0] = kill.childSeed(); // one operation sequence for the whole run
                    }
                    return ChildJvm.start(SortedCrashChild.class, Map.of(), kill.barrierHookOption(), kill.file().toString(),
                            kill.durability().name(), Long.toString(runSeed[0]), Long.toString(kill.barrier()));
                },
                (heapFile, context) -> verify(heapFile, context, runSeed[0]));
        System.out.println("PSortedMapCrashTest: operations=" + modelOps + " largest size=" + maxSize);
        assertTrue(result.inFlight() * 4 >= result.undoPathKills(),
                "at least a quarter of the kills land in a transaction: " + result.inFlight() + " of " + result.undoPathKills());
        assertTrue(modelOps > 0, "the children committed operations");
    }

    @SuppressWarnings("unchecked")
    private boolean verify(Path file, String context, long seed) {
        TreeMap<String, Long> model = models.computeIfAbsent(file, f -> new TreeMap<>());
        long[] ops = opsDone.computeIfAbsent(file, f -> new long[1]);
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            RecoveryReport report = heap.recoveryReport();
            assertEquals(List.of(), heap.check(), context);
            assertEquals(0, report.reclaimedBlocks(), context + ": a crash leaked blocks");
            if (heap.roots().get("progress").isEmpty()) {
                assertEquals(0, heap.roots().size(), context + ": set-up is one transaction");
                return report.hadTransactionsInFlight();
            }
            long done = heap.getLong(heap.roots().get("progress").orElseThrow());
            assertTrue(done >= ops[0], context + ": committed operations went back from " + ops[0] + " to " + done);
            for (; ops[0] < done; ops[0]++, modelOps++) {
                SortedCrashChild.apply(model, seed, ops[0]);
            }
            maxSize = Math.max(maxSize, model.size());
            PSortedMap<String, Long> map = ObjectSpace.of(heap).root("map", PSortedMap.class);
            assertEquals(List.of(), map.checkStructure(), context + " after " + done + " operations");
            assertEquals(model.size(), map.size(), context + " size after " + done + " operations");
            Iterator<Map.Entry<String, Long>> it = map.entrySet().iterator();
            for (Map.Entry<String, Long> expected : model.entrySet()) {
                Map.Entry<String, Long> actual = it.next();
                assertEquals(expected, actual, context + " after " + done + " operations");
            }
            if (!model.isEmpty()) {
                String middle = model.keySet().stream().skip(model.size() / 2).findFirst().orElseThrow();
                assertEquals(model.size() / 2, map.rankOf(middle), context + " rank");
            }
            return report.hadTransactionsInFlight();
        }
    }
}
