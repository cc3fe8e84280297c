package io.jpmem.heap;

/**
 * An allocation (or the growth of a transaction's log) did not fit in the heap. Thrown inside the
 * transaction, which then rolls back when it ends: the heap is left as before the transaction.
 */
public final class HeapFullException extends JpmemException {

    /** Creates the exception; {@code message} names the heap and what did not fit. */
    public HeapFullException(String message) {
        super(message, null);
    }
}
