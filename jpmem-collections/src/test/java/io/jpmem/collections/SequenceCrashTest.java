package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.RecoveryReport;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.KillLoop;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs mutate a PDeque, a PList and a PBytes at random ({@link SequenceCrashChild}) and are killed
 * with SIGKILL, a quarter of them at a random persist barrier. After each kill: reopen (recovery), a clean
 * heap check, nothing reclaimed by the recovery GC (a crash never leaks), and the child's invariants.
 * {@code -Djpmem.seqKills=N} sets the number of kills (default 80); each run prints its seed.
 */
class SequenceCrashTest {

    @TempDir
    Path dir;

    @Test
    void sequencesSurviveSigkillAtRandomMomentsAndBarriers() throws Exception {
        Path file = dir.resolve("seq-crash.heap");
        KillLoop.Result result = KillLoop.of("SequenceCrashTest", Integer.getInteger("jpmem.seqKills", 80))
                .maxDelayMillis(250)
                .run(file, kill -> ChildJvm.start(SequenceCrashChild.class, Map.of(), kill.barrierHookOption(),
                        kill.file().toString(), kill.durability().name(), Long.toString(kill.childSeed()),
                        Long.toString(kill.barrier())), SequenceCrashTest::verify);
        assertTrue(result.inFlight() * 2 >= result.undoPathKills(),
                "at least half the kills land in a transaction: " + result.inFlight() + " of " + result.undoPathKills());
    }

    /** {@return whether recovery found a transaction in flight} */
    @SuppressWarnings("unchecked")
    private static boolean verify(Path file, String context) {
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            RecoveryReport report = heap.recoveryReport();
            assertEquals(List.of(), heap.check(), context);
            assertEquals(0, report.reclaimedBlocks(), context + ": a crash leaked blocks");
            if (heap.roots().get("meta").isEmpty()) {
                assertEquals(0, heap.roots().size(), context + ": set-up is one transaction");
                return report.hadTransactionsInFlight();
            }
            ObjectSpace space = ObjectSpace.of(heap);
            PDeque<Object> deque = space.root("deque", PDeque.class);
            PList<Long> list = space.root("list", PList.class);
            PBytes bytes = space.root("bytes", PBytes.class);
            PList<Long> meta = space.root("meta", PList.class);
            List<Object> elements = deque.range(0, deque.size());
            for (int i = 1; i < elements.size(); i++) {
                assertEquals(SequenceCrashChild.dequeValue(value(elements.get(0)) + i), elements.get(i),
                        context + ": deque element " + i);
            }
            assertEquals(meta.get(0).intValue(), list.size(), context + ": list size and its counter");
            for (int i = 0; i < list.size(); i++) {
                assertEquals(i, list.get(i), context + ": list element " + i);
            }
            assertEquals(meta.get(1).longValue(), bytes.length(), context + ": bytes length and its counter");
            byte[] content = bytes.toByteArray();
            for (int i = 0; i < content.length; i++) {
                assertEquals(SequenceCrashChild.pattern(i), content[i], context + ": byte " + i);
            }
            return report.hadTransactionsInFlight();
        }
    }

    private static long value(Object element) {
        return element instanceof Long l ? l : Long.parseLong((String) element);
    }
}
