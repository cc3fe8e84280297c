package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import io.jpmem.persist.FlushMechanism;
import io.jpmem.persist.PersistenceDomain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POWER mode picks libpmem on (emulated) persistent memory and msync elsewhere. Needs Debian's
 * libpmem1, which .ci/run installs. The environment variable that emulates persistent memory must
 * be set before libpmem loads, hence child JVMs.
 */
class LibpmemTest {

    @TempDir
    Path dir;

    @Test
    void libpmemIsInstalled() {
        assertTrue(PersistenceDomain.libpmemAvailable(), "libpmem.so.1 not found: apt-get install libpmem1");
    }

    @Test
    void powerModeUsesLibpmemWhereMemoryIsPersistentAndAWriteAheadLogElsewhere() throws Exception {
        Path file = dir.resolve("pm.heap");
        PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS)).close();
        runChild(file, "1", FlushMechanism.LIBPMEM);
        runChild(file, "0", FlushMechanism.WAL);
    }

    /** Runs the "mechanism" child and checks what it persisted. */
    private static void runChild(Path file, String forcePmem, FlushMechanism expected) throws Exception {
        try (ChildJvm child = ChildJvm.start(HeapChildren.class, Map.of("PMEM_IS_PMEM_FORCE", forcePmem), "mechanism", file.toString())) {
            assertEquals(expected.name(), child.awaitLine(Duration.ofSeconds(60)), child.stderr());
            assertEquals(0, child.waitFor(Duration.ofSeconds(60)));
        }
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            assertTrue(heap.wasClosedCleanly());
            long copy = heap.roots().get("copy").orElseThrow();
            byte[] read = new byte[3000];
            heap.getBytes(copy, read, 0, read.length);
            byte[] contents = new byte[3000];
            Arrays.fill(contents, (byte) 0x5A);
            assertArrayEquals(contents, read, expected + ": the child's copy (non-temporal through libpmem) is there");
            assertEquals(List.of(), heap.check());
        }
    }
}
