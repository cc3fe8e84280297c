package io.jpmem.objects;

import io.jpmem.heap.spi.HeapSpi;

/**
 * A persistent array of {@code int}s. {@code new PersistentIntArray(n)} allocates like {@code new} of a
 * {@code @Persistent} class; the handle can be stored in persistent fields.
 */
public final class PersistentIntArray extends PersistentArray {

    /** Allocates {@code length} zeroed elements in the heap {@code new} would use. */
    public PersistentIntArray(long length) {
        allocate(length);
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PersistentIntArray(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    @Override
    public long length() {
        return HeapSpi.byteSizeOfReference(heap(), $jpmemRef()) / 4;
    }

    /** {@return element {@code index}} @throws IndexOutOfBoundsException outside [0, length) */
    public int get(long index) {
        return heap().getInt(elementOffset(index, 4));
    }

    /**
     * Sets element {@code index}: undo-logged in a transaction, durable before it returns outside one.
     *
     * @throws IndexOutOfBoundsException outside [0, length)
     */
    public void set(long index, int value) {
        store(elementOffset(index, 4), value, 4);
    }
}
