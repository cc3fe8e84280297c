package io.jpmem.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.persist.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed program, run as users run it: a child JVM with the enhancer agent. Two runs show the list
 * growing; SIGKILLs during the loop leave a consistent list (checked without the application's
 * classes, through the heap's type table). {@code -Djpmem.exampleKills=N} (default 100).
 */
class LinkedListExampleTest {

    @TempDir
    Path dir;

    private static String agent() {
        String agent = System.getProperty("jpmem.agent");
        assertNotNull(agent, "the build passes -Djpmem.agent");
        assertTrue(Files.exists(Path.of(agent)), "the enhancer agent jar is built before this module: " + agent);
        return "-javaagent:" + agent;
    }

    private static String lastLine(ChildJvm child) throws InterruptedException {
        String last = null;
        for (String line = child.awaitLine(Duration.ofSeconds(60)); ; line = child.awaitLine(Duration.ofSeconds(60))) {
            last = line;
            if (line.startsWith("nodes=")) {
                return last;
            }
        }
    }

    @Test
    void runningItTwiceShowsTheListGrew() throws Exception {
        Path heap = dir.resolve("list.heap");
        try (ChildJvm first = ChildJvm.start(LinkedListExample.class, Map.of(), agent(), heap.toString(), "20", "process")) {
            assertEquals("nodes=20", lastLine(first), first.stderr());
            assertEquals(0, first.waitFor(Duration.ofSeconds(60)), first.stderr());
        }
        try (ChildJvm second = ChildJvm.start(LinkedListExample.class, Map.of(), agent(), heap.toString(), "15")) {
            assertEquals("nodes=35", lastLine(second), second.stderr());
            assertEquals(0, second.waitFor(Duration.ofSeconds(60)), second.stderr());
        }
        assertEquals(35, verifyRaw(heap, "after two runs"));
    }

    @Test
    void sigkillDuringTheLoopLeavesAConsistentList() throws Exception {
        int kills = Integer.getInteger("jpmem.exampleKills", 100);
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path heap = dir.resolve("killed.heap");
        long previous = 0;
        int inFlight = 0;
        for (int kill = 0; kill < kills; kill++) {
            String durability = kill % 4 == 3 ? "power" : "process";
            try (ChildJvm child = ChildJvm.start(LinkedListExample.class, Map.of(), agent(), heap.toString(), "1000000",
                    durability)) {
                String line = child.awaitLine(Duration.ofSeconds(60));
                assertTrue(line.startsWith("reopened with nodes="), line + "\n" + child.stderr());
                Thread.sleep(random.nextInt(250));
                child.kill();
            }
            long count;
            try (PersistentHeap opened = PersistentHeap.open(heap, Durability.PROCESS)) {
                if (opened.recoveryReport().hadTransactionsInFlight()) {
                    inFlight++;
                }
                assertEquals(List.of(), opened.check(), "seed " + seed + " kill " + kill);
                assertEquals(0, opened.recoveryReport().reclaimedBlocks(), "seed " + seed + ": a crash leaked");
            }
            count = verifyRaw(heap, "seed " + seed + " kill " + kill);
            assertTrue(count >= previous, "seed " + seed + ": the list shrank from " + previous + " to " + count);
            previous = count;
            if (count > 300_000) { // keep the heap far from full: start a new list
                Files.delete(heap);
                previous = 0;
            }
        }
        System.out.println("example kills=" + kills + " in-flight=" + inFlight + " nodes=" + previous + " seed=" + seed);
        assertTrue(previous > 0, "the loop made progress between kills");
    }

    /** Walks the list through the type table only: head to the end, tail is the last, count matches. */
    static long verifyRaw(Path file, String context) {
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            long root = heap.roots().get("list").orElseThrow();
            TypeLayout rootLayout = heap.types().find(ListRoot.class.getName()).orElseThrow().layout();
            TypeLayout entryLayout = heap.types().find(Entry.class.getName()).orElse(null) == null ? null
                    : heap.types().find(Entry.class.getName()).orElseThrow().layout();
            long head = heap.getRef(root + offset(rootLayout, "head"));
            long tail = heap.getRef(root + offset(rootLayout, "tail"));
            long count = heap.getLong(root + offset(rootLayout, "count"));
            long seen = 0;
            long last = 0;
            for (long at = head; at != 0; at = heap.getRef(at + offset(entryLayout, "next"))) {
                last = at;
                seen++;
            }
            assertEquals(count, seen, context + ": count and list disagree");
            assertEquals(last, tail, context + ": tail is not the last entry");
            return seen;
        }
    }

    private static int offset(TypeLayout layout, String field) {
        return layout.fields().stream().filter(f -> f.name().equals(field)).mapToInt(FieldLayout::offset).findFirst()
                .orElseThrow();
    }
}
