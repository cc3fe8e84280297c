package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.objects.ObjectSpace;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What PString, PBytes, PList and PDeque share: running a body in the caller's transaction or in one of
 * their own, registering their inner array types, and moving bytes between blocks inside a transaction.
 */
final class SequenceSupport {

    /** Bytes moved per logged store when ranges are copied (one undo entry, one fence each). */
    static final int COPY_STEP = 64 << 10;

    private SequenceSupport() {}

    /** {@return the heap type of an inner array block, registered on first use} */
    static HeapType arrayType(PersistentHeap heap, String name, FieldKind kind) {
        return heap.types().register(TypeLayout.ofArray(name, kind));
    }

    /**
     * Refuses, before anything is written, a value that {@link ObjectSpace#store} would refuse (see
     * {@link ObjectSpace#requireStorable}).
     *
     * @throws IllegalArgumentException naming {@code where}
     */
    static void checkStorable(ObjectSpace space, Object value, String where) {
        space.requireStorable(value, where);
    }

    /**
     * {@return whether {@code element} (a Java value being looked for) matches {@code stored} (an element
     * as read)} By {@code equals}, except that byte arrays match by content: a stored {@code byte[]} is a
     * copy, read as a new array each time, so identity would never match.
     */
    static boolean matches(Object element, Object stored) {
        if (element instanceof byte[] a) {
            return stored instanceof byte[] b && java.util.Arrays.equals(a, b);
        }
        return element.equals(stored);
    }

    /**
     * Copies {@code bytes} from {@code from} to {@code to} through {@code tx} (logged unless the target
     * block is new in {@code tx}); the ranges may overlap (a shift within one block).
     */
    static void move(PersistentHeap heap, Transaction tx, long from, long to, long bytes) {
        if (bytes <= 0 || from == to) {
            return;
        }
        byte[] buffer = new byte[(int) Math.min(bytes, COPY_STEP)];
        if (to < from) {
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(buffer.length, bytes - done);
                heap.getBytes(from + done, buffer, 0, n);
                tx.putBytes(to + done, buffer, 0, n);
                done += n;
            }
        } else {
            for (long left = bytes; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                left -= n;
                heap.getBytes(from + left, buffer, 0, n);
                tx.putBytes(to + left, buffer, 0, n);
            }
        }
    }
}
