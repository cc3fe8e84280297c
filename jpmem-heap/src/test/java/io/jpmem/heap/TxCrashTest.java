package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.KillLoop;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs run random transactions from three threads and are killed with SIGKILL: most from
 * outside at random moments, some by themselves at a randomly chosen persist barrier. After each
 * kill: reopen (recovery), then the invariants (the accounts' sum, the list's count, every account
 * and node whole), the heap check, and no block reclaimed by the recovery GC (a crash never leaks).
 * {@code -Djpmem.txKills=N} sets the number of kills (default 200); each run prints its seed.
 */
class TxCrashTest {

    @TempDir
    Path dir;

    @Test
    void transactionsSurviveSigkillAtRandomMomentsAndBarriers() throws Exception {
        Path file = dir.resolve("tx-crash.heap");
        KillLoop.Result result = KillLoop.of("TxCrashTest", Integer.getInteger("jpmem.txKills", 200)).run(file,
                kill -> ChildJvm.start(TxCrashChild.class, Map.of(), kill.barrierHookOption(), kill.file().toString(),
                        kill.durability().name(), Long.toString(kill.childSeed()), Long.toString(kill.barrier())),
                TxCrashTest::verify);
        assertTrue(result.inFlight() * 2 >= result.undoPathKills(),
                "at least half the kills land in a transaction: " + result.inFlight() + " of " + result.undoPathKills());
    }

    /** {@return whether recovery found a transaction in flight} */
    private static boolean verify(Path file, String context) {
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            RecoveryReport report = heap.recoveryReport();
            assertEquals(List.of(), heap.check(), context);
            assertEquals(0, report.reclaimedBlocks(), context + ": a crash leaked blocks");
            if (heap.roots().get("accounts").isEmpty()) {
                assertEquals(0, heap.roots().size(), context + ": set-up is one transaction");
                return report.hadTransactionsInFlight();
            }
            long accounts = heap.roots().get("accounts").orElseThrow();
            long sum = 0;
            for (int i = 0; i < TxCrashChild.ACCOUNTS; i++) {
                sum += heap.getLong(heap.getRef(accounts + 8L * i));
            }
            assertEquals(TxCrashChild.ACCOUNTS * TxCrashChild.INITIAL, sum, context + ": money appeared or vanished");
            long list = heap.roots().get("list").orElseThrow();
            long count = 0;
            long previous = Long.MAX_VALUE;
            for (long at = heap.getRef(list + 8); at != 0; at = heap.getRef(at + 8)) {
                long value = heap.getLong(at);
                assertTrue(value < previous, context + ": list out of order");
                previous = value;
                count++;
            }
            assertEquals(heap.getLong(list), count, context + ": count and list disagree");
            long latest = heap.roots().get("latest").orElseThrow();
            assertEquals(heap.types().find("crash.Account").orElseThrow().id(), heap.blockTypeId(latest), context);
            return report.hadTransactionsInFlight();
        }
    }
}
