package io.jpmem.objects;

import io.jpmem.heap.spi.HeapSpi;

/**
 * A persistent array of {@code double}s. {@code new PersistentDoubleArray(n)} allocates like {@code new} of a
 * {@code @Persistent} class; the handle can be stored in persistent fields.
 */
public final class PersistentDoubleArray extends PersistentArray {

    /** Allocates {@code length} zeroed elements in the heap {@code new} would use. */
    public PersistentDoubleArray(long length) {
        allocate(length);
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PersistentDoubleArray(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    @Override
    public long length() {
        return HeapSpi.byteSizeOfReference(heap(), $jpmemRef()) / 8;
    }

    /** {@return element {@code index}} @throws IndexOutOfBoundsException outside [0, length) */
    public double get(long index) {
        return heap().getDouble(elementOffset(index, 8));
    }

    /**
     * Sets element {@code index}: undo-logged in a transaction, durable before it returns outside one.
     *
     * @throws IndexOutOfBoundsException outside [0, length)
     */
    public void set(long index, double value) {
        store(elementOffset(index, 8), Double.doubleToRawLongBits(value), 8);
    }
}
