package io.jpmem.objects;

import io.jpmem.heap.spi.HeapSpi;

/**
 * A persistent array of {@code char}s. {@code new PersistentCharArray(n)} allocates like {@code new} of a
 * {@code @Persistent} class; the handle can be stored in persistent fields.
 */
public final class PersistentCharArray extends PersistentArray {

    /** Allocates {@code length} zeroed elements in the heap {@code new} would use. */
    public PersistentCharArray(long length) {
        allocate(length);
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PersistentCharArray(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    @Override
    public long length() {
        return HeapSpi.byteSizeOfReference(heap(), $jpmemRef()) / 2;
    }

    /** {@return element {@code index}} @throws IndexOutOfBoundsException outside [0, length) */
    public char get(long index) {
        return heap().getChar(elementOffset(index, 2));
    }

    /**
     * Sets element {@code index}: undo-logged in a transaction, durable before it returns outside one.
     *
     * @throws IndexOutOfBoundsException outside [0, length)
     */
    public void set(long index, char value) {
        store(elementOffset(index, 2), value, 2);
    }
}
