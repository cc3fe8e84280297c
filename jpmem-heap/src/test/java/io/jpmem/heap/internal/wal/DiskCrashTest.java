package io.jpmem.heap.internal.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Power-fail crash states of the log on a {@link SimulatedDisk}: a seeded run of commit groups,
 * checkpoints and restarts (recovery, a checkpoint of what it replayed, then more commits over the
 * dropped tail) is crashed after every write and every sync; each crash image is recovered and
 * judged, and one in {@link #RECOVERY_CRASH_EVERY} is also crashed at every event of its own
 * recovery, and those images recovered again.
 *
 * <p>Runs alternate: the first syncs each group ({@code always}), the second writes groups and syncs
 * now and then ({@code everysec}/{@code no}), so several unsynced frames are torn at once; at least two.
 *
 * <p>Judged for each image: the log opens (never refused), and the heap after replay equals the
 * state after some prefix of the commits that contains every acknowledged one (so nothing partial
 * is ever applied); a recovery of a crashed recovery finds the same prefix.
 *
 * <p>Runs seeds S, S+1, ... until {@code -Djpmem.wal.states} (110,000) states are explored;
 * {@code -Djpmem.seed=S} replays them.
 */
class DiskCrashTest {

    static final int HEAP_BYTES = 32 << 10;
    static final int PAGE = 4096;
    static final int RECOVERY_CRASH_EVERY = 25;
    static final UUID HEAP_ID = new UUID(0x1234, 0x5678);

    long states;
    List<String> violations = new ArrayList<>();

    @Test
    void everyCrashStateRecoversAPrefixWithEveryAcknowledgedCommit() throws IOException {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        long target = Long.getLong("jpmem.wal.states", 110_000);
        long start = System.nanoTime();
        int runs = 0;
        while ((states < target || runs < 2) && violations.isEmpty()) {
            WriteAheadLog.SyncPolicy policy = runs % 2 == 0 ? WriteAheadLog.SyncPolicy.EACH_GROUP
                    : WriteAheadLog.SyncPolicy.ON_REQUEST;
            new Run(seed + runs++, false, policy).go(90);
        }
        System.out.printf("disk-crash-states=%d violations=%d seed=%d runs=%d seconds=%.1f%n", states,
                violations.size(), seed, runs, (System.nanoTime() - start) / 1e9);
        violations.stream().limit(10).forEach(System.out::println);
        assertEquals(List.of(), violations.stream().limit(5).toList());
        assertTrue(states >= 100_000, "explored " + states + " crash states");
    }

    /** The checker can fail: without the heap file's fdatasync, a checkpoint's commit point can outrun its pages. */
    @Test
    void aCheckpointWithoutTheHeapBarrierIsCaught() throws IOException {
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        for (int run = 0; run < 20 && violations.isEmpty(); run++) {
            new Run(seed + run, true, WriteAheadLog.SyncPolicy.EACH_GROUP).go(40);
        }
        System.out.println("without the heap barrier: disk-crash-states=" + states + " violations=" + violations.size()
                + " seed=" + seed);
        // Where it shows depends on the seed: during the checkpoint, in a recovery, or in a later group
        // (the checkpoint completed over heap pages that were never durable, and a crash after it finds
        // the log recycled): every one of them is the missing barrier, as the main run has none.
        assertTrue(!violations.isEmpty(), "no violation found in " + states + " crash states");
    }

    /** A model heap whose working copy is a byte array (the private mapping) over a simulated disk. */
    final class Run {
        final long seed;
        final SplittableRandom random;
        SimulatedDisk disk = new SimulatedDisk();
        /** snapshots.get(s): the heap after commit s. */
        final List<byte[]> snapshots = new ArrayList<>();
        byte[] memory = new byte[HEAP_BYTES];
        final TreeSet<Long> dirtyPages = new TreeSet<>();
        WriteAheadLog wal;
        Checkpointer checkpointer;
        long acknowledged;
        long appended;
        String phase = "setup";

        final boolean ignoreHeapSyncs;
        final WriteAheadLog.SyncPolicy policy;

        Run(long seed, boolean ignoreHeapSyncs, WriteAheadLog.SyncPolicy policy) {
            this.seed = seed;
            this.ignoreHeapSyncs = ignoreHeapSyncs;
            this.policy = policy;
            this.random = new SplittableRandom(seed);
        }

        void go(int steps) throws IOException {
            SimulatedDisk.SimFile heap = disk.file("heap");
            heap.write(ByteBuffer.allocate(HEAP_BYTES), 0);
            heap.sync();
            if (ignoreHeapSyncs) {
                heap.ignoreSyncs();
            }
            WalFiles files = WalFiles.create(disk.file("wal-0"), disk.file("wal-1"), HEAP_ID, new SplittableRandom(seed));
            wal = WriteAheadLog.ofNew(files, 4096, policy);
            checkpointer = new Checkpointer(wal, heap);
            snapshots.add(memory.clone());
            disk.listen(this::crash);
            for (int step = 0; step < steps; step++) {
                int action = random.nextInt(20);
                if (action < 15) {
                    group(1 + random.nextInt(random.nextInt(8) == 0 ? 12 : 4));
                } else if (action < 19) {
                    checkpoint();
                } else {
                    restart();
                }
            }
        }

        /** Appends {@code n} commits and awaits the last: one frame, one sync. */
        void group(int n) {
            phase = "group of " + n;
            List<WriteAheadLog.Pending> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<AfterImage> images = new ArrayList<>();
                int count = 1 + random.nextInt(3);
                for (int k = 0; k < count; k++) {
                    int length = 1 + random.nextInt(random.nextInt(6) == 0 ? 700 : 24);
                    int at = random.nextInt(HEAP_BYTES - length);
                    byte[] bytes = new byte[length];
                    random.nextBytes(bytes);
                    System.arraycopy(bytes, 0, memory, at, length);
                    for (long p = at / PAGE; p <= (at + length - 1) / PAGE; p++) {
                        dirtyPages.add(p);
                    }
                    images.add(new AfterImage(at, bytes));
                }
                snapshots.add(memory.clone());
                appended++;
                pending.add(wal.append(images));
            }
            long seq = wal.await(pending.get(n - 1));
            for (WriteAheadLog.Pending p : pending) {
                assertEquals(seq - n + 1 + pending.indexOf(p), wal.await(p));
            }
            if (policy == WriteAheadLog.SyncPolicy.EACH_GROUP) {
                acknowledged = seq;
            } else if (random.nextInt(3) == 0) {
                phase = "sync";
                acknowledged = wal.sync();
            }
        }

        void checkpoint() throws IOException {
            phase = "checkpoint";
            checkpointer.arm();
            long r = checkpointer.roll();
            assertEquals(appended, r);
            acknowledged = r; // the roll makes the old file durable
            byte[] snapshot = memory.clone();
            List<PageSource.Range> ranges = ranges(dirtyPages);
            dirtyPages.clear();
            checkpointer.writePages(ranges, (offset, dst) -> dst.put(snapshot, (int) offset, dst.remaining()));
            checkpointer.complete();
            checkpointer.arm();
        }

        /** A crash at a random moment of the last group: recover one image, checkpoint it, go on from there. */
        void restart() throws IOException {
            phase = "restart";
            disk.listen(null);
            List<SimulatedDisk.Image> images = disk.crashImages(1, 1, random);
            SimulatedDisk.Image image = images.get(random.nextInt(images.size()));
            disk = SimulatedDisk.of(image);
            if (ignoreHeapSyncs) {
                disk.file("heap").ignoreSyncs();
            }
            Recovered r = recover(disk, true, policy);
            snapshots.subList((int) r.log.lastSeq() + 1, snapshots.size()).clear();
            memory = snapshots.get((int) r.log.lastSeq()).clone();
            acknowledged = r.log.lastSeq();
            appended = acknowledged;
            wal = r.wal;
            checkpointer = r.checkpointer;
            dirtyPages.clear();
            disk.listen(this::crash);
        }

        /** The listener: judge every crash image of this moment. */
        void crash(SimulatedDisk at, String event) {
            Set<Long> seen = new HashSet<>();
            for (SimulatedDisk.Image image : at.crashImages(64, 48, random)) {
                if (!seen.add(image.hash())) {
                    continue;
                }
                states++;
                String where = "seed=" + seed + " phase=" + phase + " event=" + at.events() + " " + event;
                long found = judge(image, where);
                if (found >= 0 && states % RECOVERY_CRASH_EVERY == 0) {
                    crashRecovery(image, found, where);
                }
            }
        }

        /** Recovers {@code image} and checks it; {@return the sequence found, or -1 after a violation} */
        long judge(SimulatedDisk.Image image, String where) {
            try {
                SimulatedDisk d = SimulatedDisk.of(image);
                Recovered r = recover(d, false, policy);
                return check(r, where);
            } catch (RuntimeException | IOException | AssertionError e) {
                violations.add("VIOLATION " + where + ": " + e);
                return -1;
            }
        }

        long check(Recovered r, String where) {
            long last = r.log.lastSeq();
            if (last < acknowledged || last > appended) {
                violations.add("VIOLATION " + where + ": recovered up to " + last + ", acknowledged " + acknowledged
                        + ", appended " + appended);
                return -1;
            }
            if (!Arrays.equals(r.memory, snapshots.get((int) last))) {
                violations.add("VIOLATION " + where + ": the heap after replay is not the state after commit " + last);
                return -1;
            }
            return last;
        }

        /** Crashes the recovery of {@code image} at each of its events and recovers those images again. */
        void crashRecovery(SimulatedDisk.Image image, long found, String where) {
            SimulatedDisk d = SimulatedDisk.of(image);
            d.listen((inner, event) -> {
                for (SimulatedDisk.Image again : inner.crashImages(8, 6, random)) {
                    states++;
                    String w = where + " recovery-crash at " + event;
                    try {
                        Recovered r = recover(SimulatedDisk.of(again), false, policy);
                        if (check(r, w) >= 0 && r.log.lastSeq() != found) {
                            violations.add("VIOLATION " + w + ": a crashed recovery lost records: " + r.log.lastSeq()
                                    + " after " + found);
                        }
                    } catch (RuntimeException | IOException | AssertionError e) {
                        violations.add("VIOLATION " + w + ": " + e);
                    }
                }
            });
            try {
                recover(d, true, policy);
            } catch (IOException e) {
                violations.add("VIOLATION " + where + " during recovery: " + e);
            }
        }
    }

    record Recovered(RecoveredLog log, byte[] memory, WriteAheadLog wal, Checkpointer checkpointer) {}

    /**
     * The engine's recovery on the simulated disk: read the log, replay it into a copy of the heap file
     * (the working mapping), then (if {@code checkpoint}) checkpoint what replay touched and arm the spare.
     */
    static Recovered recover(SimulatedDisk disk, boolean checkpoint, WriteAheadLog.SyncPolicy policy)
            throws IOException {
        SimulatedDisk.SimFile heap = disk.file("heap");
        RecoveredLog log = WalRecovery.open(disk.file("wal-0"), disk.file("wal-1"), HEAP_ID, HEAP_BYTES,
                new SplittableRandom(disk.hashCode()));
        byte[] memory = new byte[HEAP_BYTES];
        heap.read(ByteBuffer.wrap(memory), 0);
        TreeSet<Long> dirty = new TreeSet<>();
        LogReplay.apply(log, (offset, bytes) -> {
            int length = bytes.remaining();
            bytes.get(memory, (int) offset, length);
            for (long p = offset / PAGE; p <= (offset + length - 1) / PAGE; p++) {
                dirty.add(p);
            }
        });
        if (!checkpoint) {
            return new Recovered(log, memory, null, null);
        }
        WriteAheadLog wal = WriteAheadLog.ofRecovered(log, 4096, policy);
        Checkpointer checkpointer = new Checkpointer(wal, heap);
        if (!checkpointer.underWay()) {
            checkpointer.arm();
            checkpointer.roll();
        }
        if (dirty.isEmpty()) {
            dirty.add(0L);
        }
        checkpointer.writePages(ranges(dirty), (offset, dst) -> dst.put(memory, (int) offset, dst.remaining()));
        checkpointer.complete();
        checkpointer.arm();
        return new Recovered(log, memory, wal, checkpointer);
    }

    static List<PageSource.Range> ranges(Set<Long> pages) {
        List<PageSource.Range> ranges = new ArrayList<>();
        for (long p : pages) {
            ranges.add(new PageSource.Range(p * PAGE, PAGE));
        }
        return ranges;
    }
}
