package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.internal.alloc.Allocator;
import io.jpmem.heap.internal.log.LogSlot;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.heap.testing.HeapExtension;
import io.jpmem.heap.testing.HeapTest;
import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import io.jpmem.persist.PersistenceDomain;
import io.jpmem.persist.SimulatedDomain;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for the heap's failure paths, each named after the bug it pins. */
class FailurePathsTest {

    private static final TypeLayout CELL = TypeLayout.ofRecord("test.Cell", 8, FieldLayout.of("v", FieldKind.LONG, 0));

    @TempDir
    Path dir;

    @Test
    void allocatorLazyLoadBetweenAFreesPersistentClearAndItsReleaseHandsOutNoLiveBlock() {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("lazy.heap"), TestHeaps.small(Durability.PROCESS))) {
            HeapType cell = heap.types().register(CELL);
            long block = heap.transactionResult(tx -> tx.allocate(cell));
            // A second allocator view of the same file has not loaded the chunk yet: as after a reopen.
            Allocator fresh = new Allocator(HeapSpi.domain(heap), heap.layout());
            Allocator.Redo[] free = fresh.freeRedo(block);      // before the commit point
            for (Allocator.Redo op : free) {
                fresh.apply(op);                                // after it: the persistent bit is clear
            }
            long other = fresh.reserve(cell.id(), 8, line -> { }); // another thread's first use of the chunk
            assertNotEquals(block, other, "the block being freed is still taken until its release");
            fresh.release(block);
            long third = fresh.reserve(cell.id(), 8, line -> { });
            assertNotEquals(other, third, "the release freed the block it freed, not the other reservation");
        }
    }

    @Test
    void anExceptionAfterTheCommitPointFailsTheHeapAndNeverRollsBackACommittedTransaction() {
        Path path = dir.resolve("after-commit.heap");
        long block;
        try (PersistentHeap heap = PersistentHeap.create(path, TestHeaps.small(Durability.SIMULATED))) {
            HeapType cell = heap.types().register(CELL);
            long b0 = heap.transactionResult(tx -> {
                long b = tx.allocate(cell);
                heap.roots().create("r", b);
                return b;
            });
            block = b0;
            long chunkStart = heap.objectAreaOffset()
                    + (b0 - heap.objectAreaOffset()) / heap.layout().chunkByteSize() * heap.layout().chunkByteSize();
            SimulatedDomain domain = (SimulatedDomain) HeapSpi.domain(heap);
            AtomicBoolean armed = new AtomicBoolean(true);
            domain.onEvent(event -> {
                // the flush of the chunk's bitmap word comes after the commit point, when the free is applied
                if (event instanceof SimulatedDomain.Flush f && f.offset() <= chunkStart && chunkStart < f.offset() + f.byteSize()
                        && armed.getAndSet(false)) {
                    throw new IllegalStateException("injected I/O failure after the commit point");
                }
            });
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                heap.roots().set("r", 0);
                tx.free(b0);
            }));
            assertEquals("injected I/O failure after the commit point", failure.getMessage());
            assertThrows(HeapCorruptedException.class, heap::roots, "the heap is failed, and stays failed");
            assertThrows(HeapCorruptedException.class, heap::begin);
        } // closing a failed heap leaves it marked not cleanly shut down
        try (PersistentHeap reopened = PersistentHeap.open(path, Durability.PROCESS)) {
            assertFalse(reopened.wasClosedCleanly());
            assertEquals(1, reopened.recoveryReport().replayed(), "recovery finished the committed transaction");
            assertEquals(0, reopened.roots().get("r").orElseThrow(), "the committed unlink stays");
            assertFalse(reopened.isAllocated(block), "the committed free stays");
            assertEquals(List.of(), reopened.check());
        }
    }

    @Test
    void aLogSlotLeftCommittedIsNotReused() {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("slot.heap"), TestHeaps.small(Durability.PROCESS))) {
            PersistenceDomain domain = HeapSpi.domain(heap);
            LogSlot slot = new LogSlot(0, domain, heap.layout(), new Allocator(domain, heap.layout()));
            slot.setControl(slot.epoch(), true);
            IllegalStateException refused = assertThrows(IllegalStateException.class, slot::begin);
            assertTrue(refused.getMessage().contains("committed"), refused.getMessage());
            slot.setControl(slot.epoch() + 1, false);
            slot.begin();
        }
    }

    @HeapTest
    void heapFullExceptionMakesTheTransactionRollbackOnly(PersistentHeap heap) {
        HeapType cell = heap.types().register(CELL);
        HeapType bytes = heap.types().register(TypeLayout.ofArray("test.Bytes", FieldKind.BYTE));
        long c = heap.transactionResult(tx -> {
            long b = tx.allocate(cell);
            heap.roots().create("c", b);
            return b;
        });
        long blocks = heap.allocationStats().allocatedBlocks();
        HeapFullException atCommit = assertThrows(HeapFullException.class, () -> heap.transaction(tx -> {
            tx.putLong(c, 42);
            tx.allocateArray(bytes, 8); // fits
            assertThrows(HeapFullException.class, () -> tx.allocateArray(bytes, heap.maxByteSize()));
            tx.putLong(c, 43);          // the caller caught it and goes on: the transaction still cannot commit
        }));
        assertTrue(atCommit.getMessage().contains("rolled back"), atCommit.getMessage());
        assertEquals(0, heap.getLong(c));
        assertEquals(blocks, heap.allocationStats().allocatedBlocks());
        // An allocation the caller can do without leaves the transaction committable.
        heap.transaction(tx -> {
            assertEquals(0, tx.tryAllocateArray(bytes, heap.maxByteSize()));
            tx.putLong(c, 44);
        });
        assertEquals(44, heap.getLong(c));
    }

    @HeapTest({Durability.PROCESS})
    void beginRacingCloseNeverLeavesAnUncommittedStoreInAHeapMarkedClean(HeapExtension.Handle handle) throws Exception {
        for (int round = 0; round < 20; round++) {
            PersistentHeap heap = round == 0 ? handle.heap() : handle.reopen();
            assertTrue(round == 0 || heap.wasClosedCleanly());
            if (round > 0) {
                assertEquals(0, heap.getLong(heap.roots().get("c").orElseThrow()), "an uncommitted store survived a clean close");
            }
            HeapType cell = heap.types().register(CELL);
            long c = heap.roots().get("c").isPresent() ? heap.roots().get("c").getAsLong() : heap.transactionResult(tx -> {
                long b = tx.allocate(cell);
                heap.roots().create("c", b);
                return b;
            });
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try (Transaction tx = heap.begin()) {
                        tx.putLong(c, 99); // never committed
                    } catch (IllegalStateException closedOrClosing) {
                        return;
                    } catch (Throwable t) {
                        unexpected.set(t);
                        return;
                    }
                }
            });
            boolean closed = false;
            while (!closed) {
                try {
                    heap.close();
                    closed = true;
                } catch (IllegalStateException inProgress) {
                    Thread.onSpinWait();
                }
            }
            stop.set(true);
            writer.join();
            assertEquals(null, unexpected.get());
        }
        handle.reopen();
    }

    @HeapTest({Durability.PROCESS})
    void rollingBackARootCreateNeverFailsTheHeapForAConcurrentReader(PersistentHeap heap) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    heap.roots().get("t");
                    heap.roots().snapshot();
                } catch (Throwable t) {
                    failure.set(t);
                    return;
                }
            }
        });
        long deadline = System.nanoTime() + 300_000_000L;
        int rounds = 0;
        while (System.nanoTime() < deadline && failure.get() == null) {
            assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                heap.roots().create("t", 0);
                throw new IllegalStateException("roll back");
            }));
            rounds++;
        }
        stop.set(true);
        reader.join();
        assertEquals(null, failure.get(), "after " + rounds + " rollbacks");
        assertTrue(heap.roots().get("t").isEmpty());
    }

    @Test
    void aLogEntryWithAValidChecksumAndATargetOutsideTheWrittenRegionsIsRefusedWithTheFileUnchanged() throws Exception {
        Path path = dir.resolve("bad-target.heap");
        Path crashed = dir.resolve("crashed.heap");
        try (PersistentHeap heap = PersistentHeap.create(path, TestHeaps.small(Durability.PROCESS))) {
            PersistenceDomain domain = HeapSpi.domain(heap);
            LogSlot slot = new LogSlot(0, domain, heap.layout(), new Allocator(domain, heap.layout()));
            slot.begin();
            byte[] zeros = new byte[64];
            assertTrue(slot.append(io.jpmem.heap.internal.format.HeapFormat.LOG_UNDO, 0,
                    java.lang.foreign.MemorySegment.ofArray(zeros)));   // would zero header copy A
            domain.drain();
            java.nio.file.Files.copy(path, crashed);                   // the file as a crash leaves it
            slot.setControl(slot.epoch() + 1, false);
        }
        io.jpmem.heap.testing.FileSnapshot before = io.jpmem.heap.testing.FileSnapshot.of(crashed);
        HeapOpenException refused = assertThrows(HeapOpenException.class, () -> PersistentHeap.open(crashed));
        assertEquals(HeapOpenException.Reason.CORRUPT, refused.reason());
        assertTrue(refused.getMessage().contains("outside the regions a transaction writes"), refused.getMessage());
        assertEquals(before, io.jpmem.heap.testing.FileSnapshot.of(crashed), "a refused file is left unchanged");
    }

    @HeapTest({Durability.PROCESS})
    void checkWhileATransactionIsInProgressIsRefusedAndDoesNotFailTheHeap(PersistentHeap heap) {
        long c = heap.transactionResult(tx -> {
            long b = tx.allocate(heap.types().register(CELL));
            heap.roots().create("c", b);
            return b;
        });
        try (Transaction tx = heap.begin()) {
            heap.roots().remove("c");                                   // the root table differs until commit
            tx.free(c);
            assertThrows(IllegalStateException.class, heap::check);
            tx.commit();
        }
        assertEquals(List.of(), heap.check(), "the heap was not failed");
    }

    /**
     * Fills a heap with small blocks until an allocation fails; {@return the blocks, one per bitmap
     * word of the slabs they filled} A transaction freeing those logs one redo entry per block.
     */
    static List<Long> fillThenPickOnePerBitmapWord(PersistentHeap heap, HeapType cell) {
        java.util.TreeMap<Long, Long> byWord = new java.util.TreeMap<>();
        int chunk = heap.layout().chunkByteSize();
        for (int batch : new int[] {256, 1}) { // big transactions, then the last blocks one by one
            try {
                while (true) {
                    heap.transaction(tx -> {
                        for (int i = 0; i < batch; i++) {
                            long block = tx.allocate(cell);
                            long slotIndex = (block - heap.objectAreaOffset()) % chunk / 16; // 16-byte slots
                            byWord.putIfAbsent((block - heap.objectAreaOffset()) / chunk * 1_000_000 + slotIndex / 64, block);
                        }
                    });
                }
            } catch (HeapFullException full) {
                // full: the last transaction rolled back
            }
        }
        return byWord.values().stream().filter(heap::isAllocated).toList();
    }

    @Test
    void aFullHeapCanBeEmptiedBecauseACommitRecordOfFreesMayGrowIntoTheLogReserve() {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("full.heap"), withLogReserve())) {
            HeapType cell = heap.types().register(CELL);
            List<Long> spread = fillThenPickOnePerBitmapWord(heap, cell);
            assertTrue(spread.size() * 32L > heap.layout().logSlotByteSize(),
                    spread.size() + " redo entries do not need more than the log slot");
            assertThrows(HeapFullException.class, () -> heap.transaction(tx -> tx.allocate(cell)), "the heap is full");
            // Undo entries never take the reserve: stores past the slot fail on a full heap.
            assertThrows(HeapFullException.class, () -> heap.transaction(tx -> {
                for (long block : spread) {
                    tx.putLong(block, 1);
                }
            }));
            long blocks = heap.allocationStats().allocatedBlocks();
            heap.transaction(tx -> spread.forEach(tx::free)); // one redo entry per block: past the slot
            for (long block : spread) {
                assertFalse(heap.isAllocated(block));
            }
            assertEquals(blocks - spread.size(), heap.allocationStats().allocatedBlocks());
            assertEquals(0, heap.allocationStats().logBytes(), "the commit record's extension went back");
            // Again: the reserve came back with it.
            List<Long> again = fillThenPickOnePerBitmapWord(heap, cell);
            assertTrue(again.size() > spread.size() / 2, again.size() + " blocks");
            heap.transaction(tx -> again.forEach(tx::free));
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void twoTransactionsFreeingOnAFullHeapBothCommitSharingTheLogReserve() throws Exception {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("full2.heap"), withLogReserve())) {
            HeapType cell = heap.types().register(CELL);
            List<Long> spread = fillThenPickOnePerBitmapWord(heap, cell);
            List<List<Long>> halves = List.of(spread.subList(0, spread.size() / 2), spread.subList(spread.size() / 2, spread.size()));
            assertTrue(halves.get(0).size() * 32L > heap.layout().logSlotByteSize(), "each commit record needs an extension");
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = halves.stream().map(half -> Thread.ofPlatform().start(() -> {
                try {
                    heap.transaction(tx -> {
                        half.forEach(tx::free);
                        try {
                            together.await(); // both commit at once: one extension left for two commit records
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            })).toList();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(null, failure.get());
            for (long block : spread) {
                assertFalse(heap.isAllocated(block));
            }
            assertEquals(0, heap.allocationStats().logBytes());
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void logExtensionChunksComeBackAfterABurstOfBigTransactions() throws Exception {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("burst.heap"), TestHeaps.small(Durability.PROCESS))) {
            HeapType refs = heap.types().register(TypeLayout.ofArray("test.Refs", FieldKind.REF));
            List<Long> arrays = heap.transactionResult(tx -> List.of(tx.allocateArray(refs, 1000), tx.allocateArray(refs, 1000),
                    tx.allocateArray(refs, 1000), tx.allocateArray(refs, 1000)));
            AllocationStats before = heap.allocationStats();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = arrays.stream().map(array -> Thread.ofPlatform().start(() -> {
                try {
                    for (int round = 0; round < 20; round++) {
                        long value = round;
                        try (Transaction tx = heap.begin()) {
                            for (int i = 0; i < 1000; i++) { // 1000 undo entries of 32 bytes: four 8 KiB slots
                                tx.putLong(array + 8L * i, value);
                            }
                            if (round % 3 == 2) {
                                continue; // closed without commit: rolled back
                            }
                            tx.commit();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            })).toList();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(null, failure.get());
            assertEquals(before, heap.allocationStats(), "every log extension came back");
            assertEquals(0, heap.allocationStats().logBytes());
        }
    }

    @Test
    void logChunksACrashLeftLinkedOrUnlinkedAreFreedAtTheNextOpen() {
        Path path = dir.resolve("orphans.heap");
        long freeBefore;
        try (PersistentHeap heap = PersistentHeap.create(path, TestHeaps.small(Durability.PROCESS))) {
            freeBefore = heap.allocationStats().freeChunkBytes();
            PersistenceDomain domain = HeapSpi.domain(heap);
            Allocator view = new Allocator(domain, heap.layout()); // writes the file as a crashed run would have
            view.takeLogChunk(false, false);                       // durably a log chunk no slot links
            LogSlot slot = new LogSlot(1, domain, heap.layout(), view);
            slot.begin();
            java.lang.foreign.MemorySegment word = java.lang.foreign.MemorySegment.ofArray(new long[1]);
            for (int i = 0; i < 1000; i++) { // past the slot: linked extensions
                assertTrue(slot.append(4, heap.layout().chunkTableOffset(), word));
            }
            slot.setControl(slot.epoch() + 1, false); // the epoch moved; the crash came before the unlink
        }
        try (PersistentHeap reopened = PersistentHeap.open(path, Durability.PROCESS)) {
            assertEquals(0, reopened.allocationStats().logBytes());
            assertEquals(freeBefore, reopened.allocationStats().freeChunkBytes());
            assertEquals(List.of(), reopened.check());
        }
    }

    /** Allocates blocks of {@code payload} bytes (in big transactions, then one by one) until the heap is full. */
    private static List<Long> fill(PersistentHeap heap, HeapType bytes, int payload) {
        List<Long> blocks = new java.util.ArrayList<>();
        for (int batch : new int[] {256, 1}) {
            try {
                while (true) {
                    blocks.addAll(heap.transactionResult(tx -> {
                        List<Long> made = new java.util.ArrayList<>();
                        for (int i = 0; i < batch; i++) {
                            made.add(tx.allocateArray(bytes, payload));
                        }
                        return made;
                    }));
                }
            } catch (HeapFullException full) {
                // the last transaction rolled back
            }
        }
        return blocks;
    }

    private static void freeAll(PersistentHeap heap, List<Long> blocks) {
        for (int from = 0; from < blocks.size(); from += 500) {
            List<Long> some = blocks.subList(from, Math.min(blocks.size(), from + 500));
            heap.transaction(tx -> some.forEach(tx::free));
        }
    }

    @Test
    void emptySlabChunksReturnToTheFreePoolSoAHeapEmptiedOfOneSizeClassTakesAnother() {
        int small = 8;    // 16-byte slots
        int other = 200;  // another size class
        long fitsInAFreshHeap;
        try (PersistentHeap fresh = PersistentHeap.create(dir.resolve("fresh.heap"), TestHeaps.small(Durability.PROCESS))) {
            fitsInAFreshHeap = fill(fresh, fresh.types().register(TypeLayout.ofArray("test.Bytes", FieldKind.BYTE)), other).size();
        }
        Path path = dir.resolve("classes.heap");
        try (PersistentHeap heap = PersistentHeap.create(path, TestHeaps.small(Durability.PROCESS))) {
            HeapType bytes = heap.types().register(TypeLayout.ofArray("test.Bytes", FieldKind.BYTE));
            AllocationStats empty = heap.allocationStats();
            List<Long> smallBlocks = fill(heap, bytes, small);
            assertTrue(smallBlocks.size() > 10_000, smallBlocks.size() + " small blocks");
            freeAll(heap, smallBlocks);
            AllocationStats emptied = heap.allocationStats();
            assertEquals(0, emptied.allocatedBlocks());
            assertTrue(emptied.slabBytes() <= heap.layout().chunkByteSize(),
                    "only the class's current chunk stays a slab: " + emptied);
            List<Long> otherBlocks = fill(heap, bytes, other);
            assertEquals(fitsInAFreshHeap, otherBlocks.size(), "the emptied slabs' chunks took blocks of another class");
            freeAll(heap, otherBlocks);
            assertEquals(List.of(), heap.check());
            assertTrue(heap.allocationStats().freeChunkBytes() >= empty.freeChunkBytes() - 2L * heap.layout().chunkByteSize());
        }
        try (PersistentHeap reopened = PersistentHeap.open(path, Durability.PROCESS)) {
            assertEquals(List.of(), reopened.check());
            assertEquals(0, reopened.allocationStats().allocatedBlocks());
            HeapType bytes = reopened.types().find("test.Bytes").orElseThrow();
            assertEquals(fitsInAFreshHeap, fill(reopened, bytes, other).size(), "after a reopen too");
        }
    }

    /** 2 MiB: enough chunks (about 30 of 64 KiB) for the heap to keep a log reserve. */
    private static HeapOptions withLogReserve() {
        return TestHeaps.small(Durability.PROCESS).withMaxByteSize(2 << 20);
    }
}
