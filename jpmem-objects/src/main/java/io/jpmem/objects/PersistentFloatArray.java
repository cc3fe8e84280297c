package io.jpmem.objects;

import io.jpmem.heap.spi.HeapSpi;

/**
 * A persistent array of {@code float}s. {@code new PersistentFloatArray(n)} allocates like {@code new} of a
 * {@code @Persistent} class; the handle can be stored in persistent fields.
 */
public final class PersistentFloatArray extends PersistentArray {

    /** Allocates {@code length} zeroed elements in the heap {@code new} would use. */
    public PersistentFloatArray(long length) {
        allocate(length);
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PersistentFloatArray(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    @Override
    public long length() {
        return HeapSpi.byteSizeOfReference(heap(), $jpmemRef()) / 4;
    }

    /** {@return element {@code index}} @throws IndexOutOfBoundsException outside [0, length) */
    public float get(long index) {
        return heap().getFloat(elementOffset(index, 4));
    }

    /**
     * Sets element {@code index}: undo-logged in a transaction, durable before it returns outside one.
     *
     * @throws IndexOutOfBoundsException outside [0, length)
     */
    public void set(long index, float value) {
        store(elementOffset(index, 4), Float.floatToRawIntBits(value), 4);
    }
}
