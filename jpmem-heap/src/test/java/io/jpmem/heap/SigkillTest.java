package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.FileSnapshot;
import io.jpmem.persist.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs update roots and raw words and are killed with SIGKILL at random moments. After each
 * kill: {@code jpmem check}'s logic finds the heap consistent without writing it, and a reopen finds
 * every root pointing at a whole record at least as new as the last one the child acknowledged,
 * and every raw word written whole. Kills per run: {@code -Djpmem.kills=N} (default 40).
 */
class SigkillTest {

    @TempDir
    Path dir;

    @Test
    void rootsAndRawWordsSurviveSigkillAtRandomMoments() throws Exception {
        int kills = Integer.getInteger("jpmem.kills", 40);
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("crash.heap");
        long[] lastAcked = new long[RootCrashChild.ROOTS];
        int whileRunning = 0;
        for (int kill = 0; kill < kills; kill++) {
            Durability durability = kill % 2 == 0 ? Durability.PROCESS : Durability.POWER;
            try (ChildJvm child = ChildJvm.start(RootCrashChild.class, Map.of(), file.toString(),
                    durability.name(), Long.toString(random.nextLong()))) {
                if (random.nextInt(5) == 0) {
                    Thread.sleep(random.nextInt(600)); // anywhere: JVM start, open, init, or the loop
                } else {
                    child.awaitLine("ready", Duration.ofSeconds(60));
                    Thread.sleep(random.nextInt(400));
                    whileRunning++;
                }
                child.kill();
                for (String line : child.drainLines()) {
                    if (line.startsWith("ack ")) {
                        String[] parts = line.split(" ");
                        int root = Integer.parseInt(parts[1]);
                        lastAcked[root] = Math.max(lastAcked[root], Long.parseLong(parts[2]));
                    }
                }
                assertFalse(child.stderr().contains("Exception"), "seed " + seed + ": child failed:\n" + child.stderr());
            }
            if (!Files.exists(file)) {
                continue; // killed before create finished: no heap (and no partial heap) at the path
            }
            FileSnapshot before = FileSnapshot.of(file);
            HeapCheck.Report report = HeapCheck.run(file);
            assertEquals(HeapCheck.Status.CONSISTENT, report.status(), "seed " + seed + " kill " + kill + ": " + report);
            assertEquals(before, FileSnapshot.of(file), "check never writes");
            verify(file, lastAcked, "seed " + seed + " kill " + kill);
        }
        System.out.println("kills=" + kills + " while-running=" + whileRunning + " seed=" + seed);
        assertTrue(whileRunning >= kills / 2, "most kills land in the update loop");
    }

    private static void verify(Path file, long[] lastAcked, String context) {
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            assertEquals(List.of(), heap.check(), context);
            assertEquals(0, heap.recoveryReport().reclaimedBlocks(), context + ": nothing leaks");
            if (heap.roots().get("records").isEmpty()) {
                assertEquals(0, heap.roots().size(), context + ": set-up is one transaction: all roots or none");
                assertEquals(0, java.util.Arrays.stream(lastAcked).sum(), context);
                return;
            }
            for (int i = 0; i < RootCrashChild.ROOTS; i++) {
                OptionalLong value = heap.roots().get("r" + i);
                assertTrue(value.isPresent(), context + ": root r" + i + " missing");
                long at = value.getAsLong();
                assertTrue(at == RootCrashChild.region(heap, i, 0) || at == RootCrashChild.region(heap, i, 1),
                        context + ": r" + i + " points at " + at);
                long seq = RootCrashChild.readRecord(heap, at);
                assertTrue(seq >= 0, context + ": r" + i + " points at a torn record");
                assertTrue(seq >= lastAcked[i], context + ": r" + i + " holds " + seq + " but " + lastAcked[i] + " was acknowledged");
            }
            for (int w = 0; w < RootCrashChild.RAW_WORDS; w++) {
                long word = heap.getLong(RootCrashChild.rawWord(heap, w));
                assertTrue(RootCrashChild.rawWordValid(word), context + ": raw word " + w + " torn: " + Long.toHexString(word));
            }
            heap.roots().get("tmp").ifPresent(tmp -> assertTrue(heap.isValidReference(tmp), context));
        }
    }
}
