package io.jpmem.heap.internal.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on real files (one fdatasync per group, many threads), rolls and checkpoints while
 * commits go on, recycling of the two files, and a failed sync voiding its group.
 */
class WriteAheadLogTest {

    static final int HEAP = 1 << 20;

    @TempDir
    Path dir;

    /** Thread t's commit i writes the 8-byte value (t, i) at its own slot, so replay can be checked exactly. */
    static AfterImage image(int thread, int i, int perThread) {
        byte[] value = new byte[8];
        RealLog.putLongLE(value, 0, (long) thread << 32 | i);
        return new AfterImage(8L * (thread * perThread + i), value);
    }

    @Test
    void concurrentCommitsShareSyncsAndAreAllRecovered() throws Exception {
        for (int threads : new int[] {1, 4, 16, 64}) {
            Path sub = Files.createDirectory(dir.resolve("t" + threads));
            int perThread = threads == 1 ? 200 : 1600 / threads;
            Map<Long, AfterImage> bySeq = new ConcurrentHashMap<>();
            WriteAheadLog.Stats stats;
            long nanos;
            try (WalFiles files = RealLog.create(sub)) {
                WriteAheadLog wal = WriteAheadLog.ofNew(files, 1 << 20);
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> workers = new ArrayList<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    workers.add(Thread.ofPlatform().start(() -> {
                        try {
                            start.await();
                            for (int i = 0; i < perThread; i++) {
                                AfterImage image = image(thread, i, perThread);
                                long seq = wal.commit(List.of(image));
                                if (bySeq.put(seq, image) != null) {
                                    throw new AssertionError("sequence " + seq + " given twice");
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }));
                }
                long t0 = System.nanoTime();
                start.countDown();
                for (Thread w : workers) {
                    w.join();
                }
                nanos = System.nanoTime() - t0;
                if (failure.get() != null) {
                    throw new AssertionError(failure.get());
                }
                stats = wal.stats();
            }
            int total = threads * perThread;
            System.out.printf("group-commit threads=%d commits=%d fdatasyncs=%d syncs/commit=%.3f commits/s=%.0f (%s)%n",
                    threads, stats.commits(), stats.groups(), stats.syncsPerCommit(), total / (nanos / 1e9),
                    Files.getFileStore(sub).type());
            assertEquals(total, stats.commits());
            assertEquals(total, bySeq.size());
            assertTrue(stats.groups() <= stats.commits());
            if (threads == 1) {
                assertEquals(stats.commits(), stats.groups(), "one thread: one sync per commit");
            }
            RecoveredLog log = RealLog.open(sub, HEAP);
            WalFiles opened = log.files();
            try (opened) {
                assertEquals(total, log.lastSeq());
                byte[] expected = new byte[HEAP];
                for (long seq = 1; seq <= total; seq++) {
                    AfterImage image = bySeq.get(seq);
                    System.arraycopy(image.bytes(), 0, expected, (int) image.heapOffset(), 8);
                }
                assertArrayEquals(expected, RealLog.replay(log, HEAP));
            }
        }
    }

    @Test
    void rollsAndCheckpointsDuringConcurrentCommitsLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 150;
        Map<Long, AfterImage> bySeq = new ConcurrentHashMap<>();
        List<Long> checkpoints = new ArrayList<>();
        try (WalFiles files = RealLog.create(dir); DiskFile heap = ChannelDiskFile.create(dir.resolve("heap"))) {
            WriteAheadLog wal = WriteAheadLog.ofNew(files, 1 << 16);
            Checkpointer checkpointer = new Checkpointer(wal, heap);
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread background = Thread.ofPlatform().start(() -> {
                try {
                    while (!done.get()) {
                        checkpointer.arm();
                        checkpoints.add(checkpointer.roll());
                        // the pages would come from the engine's snapshot at the roll; none here
                        checkpointer.writePages(List.of(), (offset, dst) -> {});
                        checkpointer.complete();
                        Thread.sleep(2);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        AfterImage image = image(thread, i, perThread);
                        bySeq.put(wal.commit(List.of(image)), image);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            done.set(true);
            background.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
        assertTrue(checkpoints.size() >= 2, "checkpoints " + checkpoints);
        RecoveredLog log = RealLog.open(dir, HEAP);
        WalFiles opened = log.files();
        try (opened) {
            long total = (long) threads * perThread;
            assertEquals(total, log.lastSeq());
            assertEquals(checkpoints.getLast(), log.checkpointSeq(), "the last completed checkpoint");
            byte[] expected = new byte[HEAP];
            for (long seq = log.checkpointSeq() + 1; seq <= total; seq++) {
                AfterImage image = bySeq.get(seq);
                System.arraycopy(image.bytes(), 0, expected, (int) image.heapOffset(), 8);
            }
            assertArrayEquals(expected, RealLog.replay(log, HEAP), "exactly the records after the checkpoint");
        }
    }

    @Test
    void checkpointsRecycleTheTwoFilesAndTheHeapFileHoldsWhatWasCheckpointed() throws IOException {
        byte[] memory = new byte[HEAP];
        try (WalFiles files = RealLog.create(dir); DiskFile heap = ChannelDiskFile.create(dir.resolve("heap"))) {
            heap.write(ByteBuffer.allocate(HEAP), 0);
            WriteAheadLog wal = WriteAheadLog.ofNew(files, 1 << 16);
            Checkpointer checkpointer = new Checkpointer(wal, heap);
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < 50; i++) {
                    byte[] value = new byte[100];
                    java.util.Arrays.fill(value, (byte) (round + i));
                    int at = (round * 50 + i) * 100 % (HEAP - 100);
                    System.arraycopy(value, 0, memory, at, 100);
                    wal.commit(List.of(new AfterImage(at, value)));
                }
                checkpointer.arm();
                long r = checkpointer.roll();
                byte[] snapshot = memory.clone();
                checkpointer.writePages(List.of(new PageSource.Range(0, HEAP)),
                        (offset, dst) -> dst.put(snapshot, (int) offset, dst.remaining()));
                checkpointer.complete();
                assertEquals(r, files.receiving().header().checkpointSeq());
            }
            for (int i = 0; i < 7; i++) {
                byte[] value = {(byte) (i + 1)};
                memory[i] = value[0];
                wal.commit(List.of(new AfterImage(i, value)));
            }
        }
        long longest = Math.max(Files.size(RealLog.first(dir)), Files.size(RealLog.second(dir)));
        assertTrue(longest < (1 << 17) + WalFormat.BODY_START, "the files are reused, not grown: " + longest);
        RecoveredLog log = RealLog.open(dir, HEAP);
        WalFiles opened = log.files();
        try (opened) {
            assertEquals(30 * 50, log.checkpointSeq());
            assertEquals(7, log.recordCount(), "only the records after the last checkpoint are replayed");
            byte[] recovered = Files.readAllBytes(dir.resolve("heap"));
            LogReplay.apply(log, (offset, bytes) -> bytes.get(recovered, (int) offset, bytes.remaining()));
            assertArrayEquals(memory, recovered);
            byte[] twice = recovered.clone();
            LogReplay.apply(log, (offset, bytes) -> bytes.get(twice, (int) offset, bytes.remaining()));
            assertArrayEquals(recovered, twice, "replay is idempotent");
        }
    }

    @Test
    void aFailedSyncVoidsItsGroupAndTheLogGoesOn() throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        AtomicBoolean failNextSync = new AtomicBoolean();
        DiskFile flaky = new FailingFile(disk.file("wal-0"), failNextSync);
        WalFiles files = WalFiles.create(flaky, disk.file("wal-1"), RealLog.HEAP_ID);
        WriteAheadLog wal = WriteAheadLog.ofNew(files, 4096);
        assertEquals(1, wal.commit(List.of(new AfterImage(0, new byte[] {1}))));
        failNextSync.set(true);
        WalWriteException e = assertThrows(WalWriteException.class,
                () -> wal.commit(List.of(new AfterImage(1, new byte[] {2}))));
        assertEquals(WalWriteException.Reason.IO_ERROR, e.reason());
        assertTrue(e.getMessage().contains("voided"), e.getMessage());
        assertEquals(2, wal.commit(List.of(new AfterImage(2, new byte[] {3}))), "the failed group's sequence is reused");
        RecoveredLog log = WalRecovery.open(disk.file("wal-0"), disk.file("wal-1"), RealLog.HEAP_ID, 16);
        assertEquals(2, log.lastSeq());
        assertArrayEquals(new byte[] {1, 0, 3}, java.util.Arrays.copyOf(RealLog.replay(log, 16), 3));
        assertEquals(1, wal.stats().failedGroups());
    }

    @Test
    void aRecordLargerThanAFrameIsRefusedBeforeAnythingIsQueued() throws IOException {
        try (WalFiles files = RealLog.create(dir)) {
            WriteAheadLog wal = WriteAheadLog.ofNew(files, 1 << 16);
            assertThrows(IllegalArgumentException.class,
                    () -> wal.append(List.of(new AfterImage(0, new byte[WalFormat.MAX_FRAME_BYTES]))));
            assertEquals(1, wal.commit(List.of(new AfterImage(0, new byte[10]))));
        }
    }

    /** Fails its next sync when asked (after the write reached the page cache). */
    record FailingFile(DiskFile inner, AtomicBoolean failNextSync) implements DiskFile {
        @Override
        public void read(ByteBuffer dst, long position) throws IOException {
            inner.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            inner.write(src, position);
        }

        @Override
        public void sync() throws IOException {
            if (failNextSync.getAndSet(false)) {
                throw new IOException("Input/output error (simulated)");
            }
            inner.sync();
        }

        @Override
        public long size() throws IOException {
            return inner.size();
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    static long readLong(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }
}
