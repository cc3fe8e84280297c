package io.jpmem.heap;

/**
 * An allocation (or the growth of a transaction's log) did not fit in the heap. Thrown inside the
 * transaction, which then rolls back when it ends: the heap is left as before the transaction.
 */
public final class HeapFullException extends JpmemException {

    HeapFullException(String message) {
        super(message, null);
    }
}
