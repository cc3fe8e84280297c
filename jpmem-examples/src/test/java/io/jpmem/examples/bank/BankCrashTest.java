package io.jpmem.examples.bank;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.objects.PersistentObject;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank written with @Persistent classes enhanced at build time (jpmem:enhance on the test
 * classes): the classes are enhanced without an agent, and the money survives SIGKILLs.
 * {@code -Djpmem.bankKills=N} (default 100).
 */
class BankCrashTest {

    @TempDir
    Path dir;

    @Test
    void theBuildEnhancedTheBankClasses() throws Exception {
        assertTrue(PersistentObject.class.isAssignableFrom(Account.class), "jpmem:enhance ran on the test classes");
        assertThrows(NoSuchFieldException.class, () -> Account.class.getDeclaredField("balance"));
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("bank.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(1 << 20))) {
            Bank bank = Bank.open(heap);
            SplittableRandom random = new SplittableRandom(1);
            ReentrantLock lock = new ReentrantLock();
            for (int i = 0; i < 500; i++) {
                bank.transfer(heap, lock, random);
            }
            assertEquals(Bank.TOTAL, bank.sum());
            assertEquals(500, bank.transfers());
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void moneySurvivesSigkill() throws Exception {
        int kills = Integer.getInteger("jpmem.bankKills", 100);
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path heap = dir.resolve("killed-bank.heap");
        int inFlight = 0;
        long transfers = 0;
        for (int kill = 0; kill < kills; kill++) {
            Durability durability = kill % 4 == 3 ? Durability.POWER : Durability.PROCESS;
            try (ChildJvm child = ChildJvm.start(BankChild.class, Map.of(), heap.toString(), durability.name(),
                    Long.toString(random.nextLong()))) {
                String ready = child.awaitLine(Duration.ofSeconds(60));
                assertEquals("ready sum=" + Bank.TOTAL, ready, "seed " + seed + " kill " + kill + "\n" + child.stderr());
                Thread.sleep(random.nextInt(250));
                child.kill();
            }
            try (PersistentHeap opened = PersistentHeap.open(heap, Durability.PROCESS)) {
                if (opened.recoveryReport().hadTransactionsInFlight()) {
                    inFlight++;
                }
                assertEquals(List.of(), opened.check(), "seed " + seed + " kill " + kill);
                assertEquals(0, opened.recoveryReport().reclaimedBlocks(), "seed " + seed + ": a crash leaked");
                Bank bank = Bank.open(opened);
                assertEquals(Bank.TOTAL, bank.sum(), "seed " + seed + " kill " + kill + ": money appeared or vanished");
                assertTrue(bank.transfers() >= transfers, "seed " + seed + ": committed transfers were lost");
                transfers = bank.transfers();
            }
        }
        // in-flight counts kills that found a log slot with entries; a transfer spends most of its time
        // reading (walking accounts) before its first logged store, so this undercounts.
        System.out.println("bank kills=" + kills + " in-flight=" + inFlight + " transfers=" + transfers + " seed=" + seed);
        assertTrue(inFlight > 0, "some kills landed inside a transaction");
        assertTrue(transfers > 0, "transfers committed between kills");
    }
}
