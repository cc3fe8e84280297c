package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.heap.testing.HeapExtension;
import io.jpmem.heap.testing.HeapTest;

/**
 * The one rule for an operation that joins the caller's transaction or runs its own
 * ({@link HeapSpi#inTransaction}): an exception rolls back the transaction it ran in, also a joined
 * one, so a caller that catches it cannot commit half an operation. Nested
 * {@link PersistentHeap#transaction} follows the same rule.
 */
class JoinRuleTest {

    private static final TypeLayout CELL = TypeLayout.ofRecord("test.Cell", 8, FieldLayout.of("v", FieldKind.LONG, 0));

    private static long cell(PersistentHeap heap, long value) {
        HeapType type = heap.types().register(CELL);
        return heap.transactionResult(tx -> {
            long c = tx.allocate(type);
            tx.putLong(c, value);
            heap.roots().create("cell", c);
            return c;
        });
    }

    @HeapTest
    void withoutATransactionTheOperationCommitsItsOwn(PersistentHeap heap) {
        long c = cell(heap, 1);
        long result = HeapSpi.inTransactionLong(heap, tx -> {
            tx.putLong(c, 2);
            return 7;
        });
        assertEquals(7, result);
        assertEquals(2, heap.getLong(c));
        assertFalse(heap.currentTransaction().isPresent(), "its own transaction ended");
    }

    @HeapTest
    void withoutATransactionAFailedOperationLeavesNothing(PersistentHeap heap) {
        long c = cell(heap, 1);
        assertThrows(ArithmeticException.class, () -> HeapSpi.inTransaction(heap, tx -> {
            tx.putLong(c, 2);
            throw new ArithmeticException("fails half-way");
        }));
        assertEquals(1, heap.getLong(c));
    }

    @HeapTest
    void aJoinedOperationThatFailsRollsBackTheWholeTransaction(HeapExtension.Handle handle) {
        PersistentHeap heap = handle.heap();
        long c = cell(heap, 1);
        HeapType type = heap.types().find("test.Cell").orElseThrow();
        long[] allocated = new long[1];
        long blocksBefore = heap.allocationStats().allocatedBlocks();
        IllegalStateException outer = assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
            tx.putLong(c, 10);                                 // the caller's own store
            ArithmeticException failure = assertThrows(ArithmeticException.class, () -> HeapSpi.inTransaction(heap, t -> {
                assertSame(heap, t.heap());
                allocated[0] = t.allocate(type);
                t.putLong(c, 20);                              // half of the operation
                throw new ArithmeticException("fails half-way");
            }));
            assertEquals("fails half-way", failure.getMessage());
            tx.putLong(c, 30);                                 // the caller goes on: refused
        }));
        assertEquals("the transaction was rolled back", outer.getMessage());
        assertEquals(1, heap.getLong(c), "neither the caller's store nor the operation's half stays");
        assertEquals(blocksBefore, heap.allocationStats().allocatedBlocks(), "the operation's block was released");
        assertEquals(1, handle.reopen().getLong(c));
    }

    @HeapTest
    void aNestedTransactionFollowsTheSameRule(PersistentHeap heap) {
        long c = cell(heap, 1);
        assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
            tx.putLong(c, 10);
            assertThrows(ArithmeticException.class, () -> heap.transaction(inner -> {
                inner.putLong(c, 20);
                throw new ArithmeticException("fails half-way");
            }));
            tx.putLong(c, 30);
        }));
        assertEquals(1, heap.getLong(c));
    }

    @HeapTest
    void aJoinedOperationThatSucceedsCommitsWithTheCaller(PersistentHeap heap) {
        long c = cell(heap, 1);
        heap.transaction(tx -> {
            HeapSpi.inTransaction(heap, t -> t.putLong(c, 20));
            assertEquals(20, heap.getLong(c));
            tx.putLong(c, heap.getLong(c) + 1);
        });
        assertEquals(21, heap.getLong(c));
    }
}
