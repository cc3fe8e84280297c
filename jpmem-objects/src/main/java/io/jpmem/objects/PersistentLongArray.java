package io.jpmem.objects;

import io.jpmem.heap.spi.HeapSpi;

/**
 * A persistent array of {@code long}s. {@code new PersistentLongArray(n)} allocates like {@code new} of a
 * {@code @Persistent} class; the handle can be stored in persistent fields.
 */
public final class PersistentLongArray extends PersistentArray {

    /** Allocates {@code length} zeroed elements in the heap {@code new} would use. */
    public PersistentLongArray(long length) {
        allocate(length);
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PersistentLongArray(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    @Override
    public long length() {
        return HeapSpi.byteSizeOfReference(heap(), $jpmemRef()) / 8;
    }

    /** {@return element {@code index}} @throws IndexOutOfBoundsException outside [0, length) */
    public long get(long index) {
        return heap().getLong(elementOffset(index, 8));
    }

    /**
     * Sets element {@code index}: undo-logged in a transaction, durable before it returns outside one.
     *
     * @throws IndexOutOfBoundsException outside [0, length)
     */
    public void set(long index, long value) {
        store(elementOffset(index, 8), value, 8);
    }
}
