package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.internal.HeapImpl;
import io.jpmem.heap.internal.HeapLog;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.FileSnapshot;
import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import io.jpmem.persist.FlushMechanism;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A POWER heap on an ordinary file: the write-ahead-log path (docs/ARCHITECTURE.md, 3j). The heap file
 * changes only at checkpoints; commits survive SIGKILL at any moment, checkpoints included; a log that
 * is missing, foreign or damaged is refused and nothing changes; concurrent commits share syncs.
 */
class WriteAheadLoggedHeapTest {

    static final TypeLayout CELL = TypeLayout.ofRecord("wal.Cell", 8, FieldLayout.of("value", FieldKind.LONG, 0));

    @TempDir
    Path dir;

    private static long readFileLong(Path file, long offset) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(b, offset);
            return b.getLong(0);
        }
    }

    @Test
    void theHeapFileChangesOnlyAtCheckpointsAndACleanCloseIsOne() throws Exception {
        Path file = dir.resolve("h.heap");
        long cell;
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(Durability.POWER))) {
            assertEquals(FlushMechanism.WAL, heap.flushMechanism());
            assertTrue(HeapLog.logFiles(file).stream().allMatch(Files::exists), "both log files exist");
            HeapType type = heap.types().register(CELL);
            cell = heap.transactionResult(tx -> {
                long c = tx.allocate(type);
                tx.putLong(c, 0x1234_5678_9abcL);
                heap.roots().create("cell", c);
                return c;
            });
            assertEquals(0, readFileLong(file, cell), "a commit is in the log, not yet in the heap file");
            assertEquals(0x1234_5678_9abcL, heap.getLong(cell));
        }
        assertEquals(0x1234_5678_9abcL, readFileLong(file, cell), "the close's checkpoint wrote it");
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.POWER)) {
            assertTrue(heap.wasClosedCleanly());
            assertEquals(0, ((HeapImpl) heap).log().replayedRecords(), "a clean close leaves nothing to replay");
            assertEquals(0x1234_5678_9abcL, heap.getLong(heap.roots().get("cell").orElseThrow()));
        }
    }

    @ParameterizedTest
    @EnumSource(LogSync.class)
    void everySyncLevelKeepsEveryCommitReturnedBeforeASigkill(LogSync sync) throws Exception {
        Path file = dir.resolve("crash-" + sync + ".heap");
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        long checkpointsSeen = 0;
        long last = 0;
        for (int round = 0; round < 4; round++) {
            String context = "seed " + seed + " round " + round + " (" + sync + ")";
            long printed = last;
            try (ChildJvm child = ChildJvm.start(WalCrashChild.class, Map.of(), file.toString(), sync.name())) {
                child.awaitLine("ready", Duration.ofSeconds(60));
                List<String> lines = new ArrayList<>();
                if (round == 0) { // one kill at least comes after a checkpoint, however slow the disk is today
                    for (String line = ""; !line.startsWith("checkpoints ") || line.equals("checkpoints 0"); ) {
                        line = child.awaitLine(Duration.ofSeconds(120));
                        lines.add(line);
                    }
                }
                Thread.sleep(300 + random.nextInt(1200));
                child.kill();
                assertFalse(child.stderr().contains("Exception"), context + ": " + child.stderr());
                lines.addAll(child.drainLines());
                for (String line : lines) {
                    if (line.startsWith("checkpoints ")) {
                        checkpointsSeen = Math.max(checkpointsSeen, Long.parseLong(line.substring(12)));
                    } else {
                        printed = Math.max(printed, Long.parseLong(line));
                    }
                }
            }
            try (PersistentHeap heap = PersistentHeap.open(file, WalCrashChild.options(sync))) {
                assertFalse(heap.wasClosedCleanly(), context);
                assertEquals(List.of(), heap.check(), context);
                assertEquals(0, heap.recoveryReport().reclaimedBlocks(), context + ": a crash leaked blocks");
                long c = heap.roots().get("counter").orElseThrow();
                long value = heap.getLong(c);
                assertTrue(value >= printed, context + ": acknowledged " + printed + ", recovered " + value);
                long blob = heap.getRef(c + 8);
                byte[] bytes = new byte[1024];
                heap.getBytes(blob, bytes, 0, bytes.length);
                byte[] expected = new byte[1024];
                java.util.Arrays.fill(expected, (byte) value);
                assertArrayEquals(expected, bytes, context + ": the block of the last commit, whole");
                last = value;
            }
        }
        System.out.println("WriteAheadLoggedHeapTest " + sync + ": seed=" + seed + " counter=" + last
                + " checkpoints-in-a-child=" + checkpointsSeen);
        assertTrue(last > 100, "the children committed: " + last);
        assertTrue(checkpointsSeen > 0, "the children's logs reached their checkpoint size");
    }

    @Test
    void concurrentCommitsShareSyncs() throws Exception {
        Path file = dir.resolve("group.heap");
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(Durability.POWER))) {
            HeapType type = heap.types().register(CELL);
            List<Thread> threads = new ArrayList<>();
            AtomicLong commits = new AtomicLong();
            for (int t = 0; t < 8; t++) {
                long c = heap.transactionResult(tx -> tx.allocate(type));
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100; i++) {
                        long v = i;
                        heap.transaction(tx -> tx.putLong(c, v));
                        commits.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            var stats = ((HeapImpl) heap).log().stats();
            System.out.println("WriteAheadLoggedHeapTest: 8 threads, " + stats.commits() + " records in " + stats.groups()
                    + " groups (" + String.format("%.2f", stats.syncsPerCommit()) + " syncs per commit)");
            assertTrue(stats.commits() >= 800, "every commit is a record: " + stats);
            assertTrue(stats.groups() < stats.commits(), "groups share one sync: " + stats);
        }
    }

    private Path uncleanLoggedHeap(String name) throws Exception {
        Path file = dir.resolve(name);
        try (ChildJvm child = ChildJvm.start(WalCrashChild.class, Map.of(), file.toString(), "ALWAYS")) {
            child.awaitLine("ready", Duration.ofSeconds(60));
            child.awaitLine(Duration.ofSeconds(60));
            child.kill();
        }
        return file;
    }

    private static void assertRefusedUnchanged(Path file, String expectedDetail) throws Exception {
        List<Path> all = new ArrayList<>(List.of(file));
        HeapLog.logFiles(file).stream().filter(Files::exists).forEach(all::add);
        List<FileSnapshot> before = new ArrayList<>();
        for (Path p : all) {
            before.add(FileSnapshot.of(p));
        }
        HeapOpenException e = assertThrows(HeapOpenException.class,
                () -> PersistentHeap.open(file, WalCrashChild.options(LogSync.ALWAYS)));
        assertEquals(HeapOpenException.Reason.BAD_LOG, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(expectedDetail), e.getMessage());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(before.get(i), FileSnapshot.of(all.get(i)), all.get(i) + " is unchanged");
        }
    }

    @Test
    void aMissingLogFileIsRefusedAndNothingChanges() throws Exception {
        Path file = uncleanLoggedHeap("missing.heap");
        Files.delete(HeapLog.logFiles(file).get(1));
        assertRefusedUnchanged(file, "missing");
    }

    @Test
    void theLogOfAnotherHeapIsRefusedAndNothingChanges() throws Exception {
        Path file = uncleanLoggedHeap("mine.heap");
        Path other = dir.resolve("other.heap");
        PersistentHeap.create(other, TestHeaps.small(Durability.POWER)).close();
        for (int i = 0; i < 2; i++) {
            Files.copy(HeapLog.logFiles(other).get(i), HeapLog.logFiles(file).get(i), StandardCopyOption.REPLACE_EXISTING);
        }
        assertRefusedUnchanged(file, "another heap");
    }

    @Test
    void aDamagedLogIsRefusedAndNothingChanges() throws Exception {
        Path file = uncleanLoggedHeap("damaged.heap");
        for (Path log : HeapLog.logFiles(file)) {
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[1024]), 0); // both header slots of both files
            }
        }
        HeapOpenException e = assertThrows(HeapOpenException.class,
                () -> PersistentHeap.open(file, WalCrashChild.options(LogSync.ALWAYS)));
        assertEquals(HeapOpenException.Reason.BAD_LOG, e.reason(), e.getMessage());
    }

    @Test
    void aHeapLeftUncleanByTheUndoLogIsRecoveredByItBeforeItsLogBegins() throws Exception {
        // Make a heap that never had a log, left unclean in the middle of undo-logged transactions.
        Path undo = dir.resolve("undo.heap");
        try (ChildJvm child = ChildJvm.start(TxCrashChild.class, Map.of(), "-Djpmem.test.barrierHook=false",
                undo.toString(), "PROCESS", "1", "0")) {
            child.awaitLine("ready", Duration.ofSeconds(60));
            Thread.sleep(300);
            child.kill();
        }
        assertFalse(Files.exists(HeapLog.logFiles(undo).get(0)), "the undo-log heap has no write-ahead log");
        try (PersistentHeap heap = PersistentHeap.open(undo, Durability.POWER)) {
            assertEquals(FlushMechanism.WAL, heap.flushMechanism());
            assertEquals(List.of(), heap.check());
            long accounts = heap.roots().get("accounts").orElseThrow();
            long sum = 0;
            for (int i = 0; i < TxCrashChild.ACCOUNTS; i++) {
                sum += heap.getLong(heap.getRef(accounts + 8L * i));
            }
            assertEquals(TxCrashChild.ACCOUNTS * TxCrashChild.INITIAL, sum, "the undo log was applied first");
        }
        assertTrue(Files.exists(HeapLog.logFiles(undo).get(0)));
        try (PersistentHeap heap = PersistentHeap.open(undo, Durability.POWER)) {
            assertTrue(heap.wasClosedCleanly());
            assertNotEquals(0, heap.roots().size());
        }
    }
}
