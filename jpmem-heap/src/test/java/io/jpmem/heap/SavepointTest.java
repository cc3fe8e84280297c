package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.testing.HeapExtension;
import io.jpmem.heap.testing.HeapTest;

/** Rolling a transaction back to a savepoint undoes exactly what came after it. */
class SavepointTest {

    private static final TypeLayout PAIR = TypeLayout.ofRecord("test.Pair", 16,
            FieldLayout.of("a", FieldKind.LONG, 0), FieldLayout.of("b", FieldKind.LONG, 8));

    private static long pair(PersistentHeap heap, String root, long a, long b) {
        HeapType type = heap.types().register(PAIR);
        return heap.transactionResult(tx -> {
            long p = tx.allocate(type);
            tx.putLong(p, a);
            tx.putLong(p + 8, b);
            heap.roots().create(root, p);
            return p;
        });
    }

    @HeapTest
    void rollbackToASavepointUndoesStoresAllocationsFreesAndRootsAfterItOnly(HeapExtension.Handle handle) {
        PersistentHeap heap = handle.heap();
        long p = pair(heap, "p", 1, 2);
        long q = pair(heap, "q", 3, 4);
        HeapType type = heap.types().find("test.Pair").orElseThrow();
        long blocks = heap.allocationStats().allocatedBlocks();
        heap.transaction(tx -> {
            tx.putLong(p, 10);                       // before: stays
            long early = tx.allocate(type);          // allocated before: stays, and so does its first value
            tx.putLong(early, 100);
            heap.roots().create("early", early);
            Transaction.Savepoint mark = tx.savepoint();
            tx.putLong(p, 11);                       // a location also stored before the savepoint
            tx.putLong(p + 8, 12);
            tx.putLong(early, 101);                  // a block new in this transaction, changed after the savepoint
            long late = tx.allocate(type);
            heap.roots().create("late", late);
            heap.roots().remove("q");
            tx.free(q);
            tx.rollbackTo(mark);
            assertEquals(10, heap.getLong(p));
            assertEquals(2, heap.getLong(p + 8));
            assertEquals(100, heap.getLong(early));
            assertTrue(heap.roots().get("late").isEmpty());
            assertEquals(q, heap.roots().get("q").orElseThrow());
            tx.putLong(p + 8, 20);                   // the transaction goes on after the rollback
        });
        PersistentHeap reopened = handle.reopen();
        assertEquals(10, reopened.getLong(p));
        assertEquals(20, reopened.getLong(p + 8));
        long early = reopened.roots().get("early").orElseThrow();
        assertEquals(100, reopened.getLong(early));
        assertTrue(reopened.isAllocated(q), "the free after the savepoint was dropped");
        assertEquals(blocks + 1, reopened.allocationStats().allocatedBlocks(), "only the early block was added");
    }

    @HeapTest
    void aSnapshotTakenBeforeTheSavepointDoesNotHideLaterStoresFromIt(PersistentHeap heap) {
        long p = pair(heap, "p", 1, 2);
        heap.transaction(tx -> {
            tx.snapshot(p, 16);
            tx.putLong(p, 5);
            Transaction.Savepoint mark = tx.savepoint();
            tx.putLong(p, 6);
            tx.putLong(p + 8, 7);
            tx.rollbackTo(mark);
            assertEquals(5, heap.getLong(p));
            assertEquals(2, heap.getLong(p + 8));
        });
        assertEquals(5, heap.getLong(p));
    }

    @HeapTest
    void aSavepointCanBeRolledBackToAgainAndLaterOnesAreInvalid(PersistentHeap heap) {
        long p = pair(heap, "p", 1, 2);
        assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
            Transaction.Savepoint first = tx.savepoint();
            tx.putLong(p, 10);
            Transaction.Savepoint second = tx.savepoint();
            tx.putLong(p, 11);
            tx.rollbackTo(first);
            assertEquals(1, heap.getLong(p));
            assertThrows(IllegalArgumentException.class, () -> tx.rollbackTo(second));
            tx.putLong(p, 12);
            tx.rollbackTo(first);
            assertEquals(1, heap.getLong(p));
            tx.putLong(p, 13);
            throw new IllegalStateException("then the whole transaction rolls back");
        }));
        assertEquals(1, heap.getLong(p));
        assertFalse(heap.currentTransaction().isPresent());
    }

    @HeapTest
    void aSavepointOfAnotherTransactionIsRefused(PersistentHeap heap) {
        Transaction.Savepoint[] other = new Transaction.Savepoint[1];
        heap.transaction(tx -> other[0] = tx.savepoint());
        heap.transaction(tx -> assertThrows(IllegalArgumentException.class, () -> tx.rollbackTo(other[0])));
    }
}
