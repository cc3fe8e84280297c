package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.RecoveryReport;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.KillLoop;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs ({@link HashCrashChild}) run a fixed sequence of PHashMap puts and removes, mirrored
 * on a PHashSet of the keys, in the collections' own transactions and in caller transactions, and are killed with SIGKILL: from outside at
 * random moments, or by themselves at a random persist barrier. After each kill: reopen
 * (recovery), the heap check, no block reclaimed by the recovery GC (a crash never leaks), the
 * tables' invariants, and the map's and the set's contents equal to the model after exactly the
 * committed steps (the counter in the heap), or, each, one own-transaction step more. {@code -Djpmem.hashKills=N} sets the
 * number of kills (default 70); each run prints its seed.
 */
class HashCrashTest {

    @TempDir
    Path dir;

    /** One model per heap file: the loop's undo-log heap and its write-ahead-logged one. */
    private final Map<Path, Map<Object, Object>> models = new HashMap<>();
    private final Map<Path, long[]> stepsDone = new HashMap<>();
    private Map<Object, Object> model = new HashMap<>();
    private long maxSteps;

    @Test
    void putsAndRemovesSurviveSigkill() throws Exception {
        Path file = dir.resolve("hash-crash.heap");
        KillLoop.Result result = KillLoop.of("HashCrashTest", Integer.getInteger("jpmem.hashKills", 70)).selfKills(4, 1500).run(file,
                kill -> ChildJvm.start(HashCrashChild.class, Map.of(), kill.barrierHookOption(), kill.file().toString(),
                        kill.durability().name(), Long.toString(kill.childSeed()), Long.toString(kill.barrier())),
                this::verify);
        System.out.println("HashCrashTest: steps=" + maxSteps + " final-size=" + model.size());
        assertTrue(result.inFlight() * 10 >= result.undoPathKills(), "kills land in transactions: " + result.inFlight());
        assertTrue(maxSteps > 100, "the children made progress: " + maxSteps);
    }

    private boolean verify(Path file, String context) {
        model = models.computeIfAbsent(file, f -> new HashMap<>());
        long[] modelSteps = stepsDone.computeIfAbsent(file, f -> new long[1]);
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            RecoveryReport report = heap.recoveryReport();
            assertEquals(List.of(), heap.check(), context);
            assertEquals(0, report.reclaimedBlocks(), context + ": a crash leaked blocks");
            if (heap.roots().get("map").isEmpty()) {
                assertEquals(0, heap.roots().size(), context + ": set-up is one transaction");
                return report.hadTransactionsInFlight();
            }
            long steps = heap.getLong(heap.roots().get("counter").orElseThrow());
            assertTrue(steps >= modelSteps[0], context + ": committed steps went back from " + modelSteps[0] + " to " + steps);
            while (modelSteps[0] < steps) {
                HashCrashChild.apply(model, HashCrashChild.ops(modelSteps[0]++));
            }
            maxSteps = Math.max(maxSteps, steps);
            @SuppressWarnings("unchecked")
            PHashMap<Object, Object> map = ObjectSpace.of(heap).root("map", PHashMap.class);
            assertEquals(List.of(), map.core().invariantProblems(), context);
            Map<Object, Object> contents = new HashMap<>(map);
            @SuppressWarnings("unchecked")
            PHashSet<Object> keys = ObjectSpace.of(heap).root("keys", PHashSet.class);
            assertEquals(List.of(), keys.core().invariantProblems(), context);
            Set<Object> keyContents = new HashSet<>(keys);
            if (HashCrashChild.ownTransaction(steps) && (!contents.equals(model) || !keyContents.equals(model.keySet()))) {
                Map<Object, Object> ahead = new HashMap<>(model);
                HashCrashChild.apply(ahead, HashCrashChild.ops(steps));
                assertTrue(contents.equals(model) || contents.equals(ahead), context + ": the map is neither after step "
                        + steps + " nor after the one after");
                assertTrue(keyContents.equals(model.keySet()) || keyContents.equals(ahead.keySet()),
                        context + ": the set is neither after step " + steps + " nor after the one after");
            } else {
                assertEquals(model, contents, context + ": map contents after step " + steps);
                assertEquals(model.keySet(), keyContents, context + ": set contents after step " + steps);
            }
            return report.hadTransactionsInFlight();
        }
    }
}
