package io.jpmem.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Djpmem.heap} with a plain JDK 25 and the jars (the runtime image has its own suite,
 * test/jtreg): the default heap opens at first use and closes at exit; a bad value is one line
 * naming the option — at startup with the agent, at first use without it.
 */
class DefaultHeapOptionTest {

    @TempDir
    Path dir;

    private static String agent() {
        String agent = System.getProperty("jpmem.agent");
        assertTrue(agent != null && Files.exists(Path.of(agent)), "the enhancer agent jar is built before this module: " + agent);
        return "-javaagent:" + agent;
    }

    private static String run(ChildJvm child) throws InterruptedException {
        int code = child.waitFor(Duration.ofSeconds(60));
        return code + "|" + String.join("\n", child.drainLines());
    }

    @Test
    void theDefaultHeapOpensAtFirstUseAndKeepsItsDataAcrossRuns() throws Exception {
        String heap = "-Djpmem.heap=" + dir.resolve("counter.heap");
        for (int expected = 1; expected <= 2; expected++) {
            try (ChildJvm child = ChildJvm.start(DefaultHeapCounter.class, Map.of(), heap, "-Djpmem.heap.size=1m")) {
                assertEquals("0|count=" + expected, run(child), child.stderr());
                assertTrue(expected == 1 || child.stderr().contains("closed cleanly last time"), "closed at exit: " + child.stderr());
            }
        }
    }

    @Test
    void aBadValueStopsTheJvmAtStartupWithOneLineWhenTheAgentIsLoaded() throws Exception {
        try (ChildJvm child = ChildJvm.start(DefaultHeapCounter.class, Map.of(), agent(), "-Djpmem.heap=" + dir.resolve("x.heap"),
                "-Djpmem.heap.durability=sometimes")) {
            assertEquals("1|", run(child), "main never ran");
            assertEquals(List.of("jpmem: -Djpmem.heap.durability=sometimes: not a durability (power or process)"),
                    child.stderr().lines().toList());
        }
    }

    @Test
    void withoutTheAgentABadValueFailsTheFirstUseNamingTheOption() throws Exception {
        Path notAHeap = Files.writeString(dir.resolve("notes.txt"), "not a heap\n".repeat(1000));
        byte[] before = Files.readAllBytes(notAHeap);
        try (ChildJvm child = ChildJvm.start(DefaultHeapCounter.class, Map.of(), "-Djpmem.heap=" + notAHeap)) {
            assertEquals("1|", run(child));
            assertTrue(child.stderr().contains("java.lang.IllegalArgumentException: -Djpmem.heap=" + notAHeap
                    + ": cannot open heap " + notAHeap + ": not a jpmem heap"), child.stderr());
        }
        assertArrayEquals(before, Files.readAllBytes(notAHeap), "the file was left unchanged");
    }
}
