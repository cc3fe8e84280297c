package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Transactions, allocation and free in every durability mode; the heap check runs after each test. */
class TransactionTest {

    @TempDir
    Path dir;

    PersistentHeap heap;
    HeapType node;
    HeapType refs;

    static final int VALUE = 0;
    static final int NEXT = 8;

    int heaps;

    void open(Durability durability) {
        heap = PersistentHeap.create(dir.resolve("tx-" + (heaps++) + ".heap"), TestHeaps.small(durability));
        node = heap.types().register(TypeLayout.ofRecord("test.Node", 16,
                FieldLayout.of("value", FieldKind.LONG, VALUE), FieldLayout.of("next", FieldKind.REF, NEXT)));
        refs = heap.types().register(TypeLayout.ofArray("test.Refs", FieldKind.REF));
    }

    @BeforeEach
    void defaultHeap() {
        open(Durability.PROCESS);
    }

    @AfterEach
    void checkHeap() {
        if (heap != null) {
            assertEquals(List.of(), heap.check(), "heap check after the test");
            heap.close();
        }
    }

    private void reopen(Durability durability) {
        Path path = heap.path();
        heap.close();
        heap = PersistentHeap.open(path, durability);
        node = heap.types().find("test.Node").orElseThrow();
        refs = heap.types().find("test.Refs").orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void allocateArrayCopyHoldsTheBytesAfterCommitAndNothingAfterRollback(Durability durability) {
        heap.close();
        open(durability);
        HeapType bytes = heap.types().register(TypeLayout.ofArray("test.Bytes", FieldKind.BYTE));
        byte[] contents = new byte[1000];
        for (int i = 0; i < contents.length; i++) {
            contents[i] = (byte) (i * 7 + 1);
        }
        long before = heap.allocationStats().allocatedBlocks();
        assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
            tx.allocateArrayCopy(bytes, contents);
            throw new IllegalStateException("roll back");
        }));
        assertEquals(before, heap.allocationStats().allocatedBlocks(), "a rolled-back copy is released");
        long copy = heap.transactionResult(tx -> tx.allocateArrayCopy(bytes, contents));
        long empty = heap.transactionResult(tx -> tx.allocateArrayCopy(bytes, new byte[0]));
        reopen(durability);
        byte[] read = new byte[contents.length];
        heap.getBytes(copy, read, 0, read.length);
        assertArrayEquals(contents, read);
        assertEquals(contents.length, io.jpmem.heap.spi.HeapSpi.byteSizeOfReference(heap, copy));
        assertEquals(0, io.jpmem.heap.spi.HeapSpi.byteSizeOfReference(heap, empty));
        assertThrows(IllegalArgumentException.class, () -> heap.transaction(tx -> tx.allocateArrayCopy(refs, contents)),
                "an array of 8-byte elements");
        assertThrows(IllegalArgumentException.class, () -> heap.transaction(tx -> tx.allocateArrayCopy(node, contents)),
                "a record type");
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void committedAllocationsAndStoresSurviveReopen(Durability durability) {
        heap.close();
        open(durability);
        long list = heap.transactionResult(tx -> {
            long first = tx.allocate(node);
            long second = tx.allocate(node);
            tx.putLong(first + VALUE, 1);
            tx.putRef(first + NEXT, second);
            tx.putLong(second + VALUE, 2);
            heap.roots().create("list", first);
            return first;
        });
        reopen(durability);
        assertEquals(list, heap.roots().get("list").orElseThrow());
        assertEquals(1, heap.getLong(list + VALUE));
        long second = heap.getRef(list + NEXT);
        assertEquals(2, heap.getLong(second + VALUE));
        assertEquals(0, heap.getRef(second + NEXT), "new blocks are zeroed");
        assertTrue(heap.isAllocated(list) && heap.isAllocated(second));
        assertEquals(node.id(), heap.blockTypeId(list));
        assertEquals(16, heap.blockByteSize(list));
        assertEquals(0, heap.unreachableBlocks());
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void anExceptionRollsEverythingBack(Durability durability) {
        heap.close();
        open(durability);
        long a = heap.transactionResult(tx -> {
            long block = tx.allocate(node);
            tx.putLong(block + VALUE, 10);
            heap.roots().create("a", block);
            return block;
        });
        AllocationStats before = heap.allocationStats();
        RuntimeException boom = new IllegalStateException("boom");
        long[] allocated = new long[1];
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> heap.transaction(tx -> {
            tx.putLong(a + VALUE, 99);
            allocated[0] = tx.allocate(node);
            tx.putRef(a + NEXT, allocated[0]);
            heap.roots().set("a", allocated[0]);
            heap.roots().create("b", a);
            tx.free(a);
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(10, heap.getLong(a + VALUE));
        assertEquals(0, heap.getRef(a + NEXT));
        assertEquals(a, heap.roots().get("a").orElseThrow());
        assertTrue(heap.roots().get("b").isEmpty());
        assertTrue(heap.isAllocated(a), "the free was rolled back");
        assertFalse(heap.isAllocated(allocated[0]), "the allocation was rolled back");
        assertEquals(before, heap.allocationStats());
        reopen(durability);
        assertEquals(10, heap.getLong(a + VALUE));
        assertTrue(heap.roots().get("b").isEmpty());
    }

    @Test
    void tryWithResourcesWithoutCommitRollsBack() {
        long a = heap.transactionResult(tx -> tx.allocate(node));
        try (Transaction tx = heap.begin()) {
            tx.putLong(a, 5);
        }
        assertEquals(0, heap.getLong(a));
        try (Transaction tx = heap.begin()) {
            tx.putLong(a, 6);
            tx.commit();
            assertThrows(IllegalStateException.class, () -> tx.putLong(a, 7), "ended");
        }
        assertEquals(6, heap.getLong(a));
    }

    @Test
    void nestingIsFlatAndAnInnerRollbackAbortsTheWhole() {
        long a = heap.transactionResult(tx -> tx.allocate(node));
        heap.transaction(outer -> {
            outer.putLong(a, 1);
            heap.transaction(inner -> inner.putLong(a + NEXT, 0));
            outer.putLong(a, 2);
        });
        assertEquals(2, heap.getLong(a));
        try (Transaction outer = heap.begin()) {
            outer.putLong(a, 3);
            try (Transaction inner = heap.begin()) {
                inner.putLong(a, 4);
            } // closed without commit: everything rolls back
            assertEquals(2, heap.getLong(a));
            IllegalStateException e = assertThrows(IllegalStateException.class, outer::commit);
            assertTrue(e.getMessage().contains("rolled back"));
        }
        assertEquals(2, heap.getLong(a));
    }

    @Test
    void aTransactionBelongsToItsThread() throws Exception {
        try (Transaction tx = heap.begin(); ExecutorService other = Executors.newSingleThreadExecutor()) {
            long a = tx.allocate(node);
            Future<?> f = other.submit(() -> tx.putLong(a, 1));
            Exception e = assertThrows(Exception.class, f::get);
            assertInstanceOf(WrongThreadException.class, e.getCause());
            tx.commit();
        }
    }

    @Test
    void heapFullRollsBackAndLeavesTheHeapIntact() {
        long a = heap.transactionResult(tx -> {
            long block = tx.allocate(node);
            heap.roots().create("keep", block);
            tx.putLong(block, 77);
            return block;
        });
        AllocationStats before = heap.allocationStats();
        HeapFullException e = assertThrows(HeapFullException.class, () -> heap.transaction(tx -> {
            tx.putLong(a, 1);
            for (int i = 0; ; i++) {
                tx.allocateArray(refs, 4000); // 32 KB each: a 1 MiB heap runs out
            }
        }));
        assertTrue(e.getMessage().contains("no room"), e.getMessage());
        assertEquals(77, heap.getLong(a));
        assertEquals(before, heap.allocationStats());
        long after = heap.transactionResult(tx -> tx.allocateArray(refs, 4000));
        assertTrue(heap.isAllocated(after), "space came back after the rollback");
    }

    @Test
    void largeBlocksAreRunsOfChunks() {
        long big = heap.transactionResult(tx -> {
            long block = tx.allocateArray(refs, 20_000); // 160 KB: three 64 KiB chunks
            tx.putRef(block + 8 * 19_999L, tx.allocate(node));
            heap.roots().create("big", block);
            return block;
        });
        assertEquals(160_000, heap.blockByteSize(big));
        assertEquals(192L << 10, heap.allocationStats().largeBytes());
        heap.transaction(tx -> {
            tx.free(heap.getRef(big + 8 * 19_999L));
            tx.free(big);
            heap.roots().set("big", 0);
        });
        assertFalse(heap.isAllocated(big));
        assertEquals(0, heap.allocationStats().largeBytes());
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void logsGrowPastTheirSlotAndStillRollBack(Durability durability) {
        heap.close();
        open(durability);
        long array = heap.transactionResult(tx -> tx.allocateArray(refs, 3000));
        long target = heap.transactionResult(tx -> tx.allocate(node));
        RuntimeException stop = new RuntimeException("stop");
        assertSame(stop, assertThrows(RuntimeException.class, () -> heap.transaction(tx -> {
            for (int i = 0; i < 3000; i++) { // 3000 undo entries of 32 bytes: far past an 8 KiB slot
                tx.putRef(array + 8L * i, target);
            }
            assertTrue(heap.allocationStats().logBytes() > 0, "the log was extended with a chunk");
            throw stop;
        })));
        for (int i = 0; i < 3000; i++) {
            assertEquals(0, heap.getRef(array + 8L * i));
        }
        assertEquals(0, heap.allocationStats().logBytes(), "the extension went back when the transaction ended");
        heap.transaction(tx -> {
            for (int i = 0; i < 3000; i++) {
                tx.putRef(array + 8L * i, target);
            }
        });
        assertEquals(target, heap.getRef(array + 8L * 2999));
    }

    @Test
    void freeIsDeferredToCommitAndBadFreesAreRefused() {
        long a = heap.transactionResult(tx -> tx.allocate(node));
        assertThrows(IllegalArgumentException.class, () -> heap.transaction(tx -> tx.free(a + 8)));
        assertThrows(IllegalArgumentException.class, () -> heap.transaction(tx -> tx.free(heap.objectAreaOffset())));
        assertThrows(IllegalArgumentException.class, () -> heap.transaction(tx -> {
            tx.free(a);
            tx.free(a);
        }));
        heap.transaction(tx -> {
            tx.free(a);
            assertTrue(heap.isAllocated(a), "still allocated until commit");
        });
        assertFalse(heap.isAllocated(a));
        boolean reused = false;
        for (int i = 0; i < 64 && !reused; i++) { // past this thread's cached slots, the freed one comes back
            reused = heap.transactionResult(tx -> tx.allocate(node)) == a;
        }
        assertTrue(reused, "a freed slot is reused");
    }

    @Test
    void rawHeapStoresAreNotUndoneAndStoresOutsideTheObjectAreaAreRefused() {
        long a = heap.transactionResult(tx -> tx.allocate(node));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.transaction(tx -> tx.putLong(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> heap.transaction(tx -> tx.putRef(a, 12345)));
        assertThrows(IllegalArgumentException.class, () -> heap.transaction(tx -> tx.putLong(a + 4, 1)));
    }

    @Test
    void lockIsHeldUntilTheTransactionEnds() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        try (Transaction tx = heap.begin()) {
            tx.lock(lock);
            try (ExecutorService other = Executors.newSingleThreadExecutor()) {
                assertFalse(other.submit(() -> lock.tryLock()).get(), "held by the transaction");
            }
            tx.commit();
        }
        assertFalse(lock.isLocked(), "released at commit");
        try (Transaction tx = heap.begin()) {
            tx.lock(lock);
        }
        assertFalse(lock.isLocked(), "released at rollback");
    }

    @Test
    void fencesPerTransactionAreKPlusTwoForStoresAndKPlusFourWithAllocation() {
        heap.close();
        open(Durability.SIMULATED);
        io.jpmem.persist.SimulatedDomain domain = (io.jpmem.persist.SimulatedDomain) io.jpmem.heap.spi.HeapSpi.domain(heap);
        long[] blocks = new long[8];
        heap.transaction(tx -> {
            for (int i = 0; i < 8; i++) {
                blocks[i] = tx.allocate(node);
            }
        });
        heap.transaction(tx -> tx.allocate(node)); // the slab chunk exists now
        for (int k = 1; k <= 8; k++) {
            int stores = k;
            long before = domain.fenceCount();
            heap.transaction(tx -> {
                for (int i = 0; i < stores; i++) {
                    tx.putLong(blocks[i], 42);
                    tx.putLong(blocks[i], 43); // a second store to the same field is not logged again
                }
            });
            assertEquals(k + 2, domain.fenceCount() - before, k + " logged stores");
            before = domain.fenceCount();
            heap.transaction(tx -> {
                for (int i = 0; i < stores; i++) {
                    tx.putLong(blocks[i] + NEXT, tx.allocate(node));
                }
            });
            assertEquals(k + 4, domain.fenceCount() - before, k + " logged stores and " + k + " allocations");
        }
        long before = domain.fenceCount();
        long array = heap.transactionResult(tx -> tx.allocateArray(refs, 64));
        long[] fences = {domain.fenceCount()};
        RuntimeException stop = new RuntimeException();
        assertSame(stop, assertThrows(RuntimeException.class, () -> heap.transaction(tx -> {
            tx.snapshot(array, 512); // one entry, one fence, for the 8 stores that follow
            for (int i = 0; i < 8; i++) {
                tx.putRef(array + 64L * i, blocks[i]);
            }
            assertEquals(1, domain.fenceCount() - fences[0], "a snapshot costs one fence for all its fields");
            throw stop;
        })));
        for (int i = 0; i < 8; i++) {
            assertEquals(0, heap.getRef(array + 64L * i), "the snapshot rolled back");
        }
        before = domain.fenceCount();
        heap.transaction(tx -> heap.getLong(blocks[0]));
        assertEquals(0, domain.fenceCount() - before, "a read-only transaction costs no fence");
    }

    @Test
    void closeRefusesWhileATransactionIsInProgress() {
        try (Transaction tx = heap.begin()) {
            assertThrows(IllegalStateException.class, heap::close);
            tx.commit();
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void concurrentTransactionsOnDisjointDataFromFourThreads(Durability durability) throws Exception {
        heap.close();
        open(durability);
        int threads = 4;
        int rounds = durability == Durability.POWER ? 40 : 200;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    heap.transaction(tx -> heap.roots().create("head" + id, 0));
                    for (int r = 0; r < rounds; r++) {
                        heap.transaction(tx -> {
                            long head = heap.roots().get("head" + id).orElseThrow();
                            long fresh = tx.allocate(node);
                            tx.putLong(fresh + VALUE, head == 0 ? 1 : heap.getLong(head + VALUE) + 1);
                            tx.putRef(fresh + NEXT, head);
                            heap.roots().set("head" + id, fresh);
                        });
                        if (r % 3 == 2) {
                            heap.transaction(tx -> { // pop one
                                long head = heap.roots().get("head" + id).orElseThrow();
                                heap.roots().set("head" + id, heap.getRef(head + NEXT));
                                tx.free(head);
                            });
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        reopen(durability);
        int expected = 200;
        for (int t = 0; t < threads; t++) {
            int length = 0;
            for (long at = heap.roots().get("head" + t).orElseThrow(); at != 0; at = heap.getRef(at + NEXT)) {
                length++;
            }
            assertEquals(rounds - rounds / 3, length, "thread " + t);
        }
        assertEquals(0, heap.unreachableBlocks());
        assertTrue(expected > 0);
    }
}
