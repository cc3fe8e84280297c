package io.jpmem.objects;

import io.jpmem.heap.spi.HeapSpi;

/**
 * A persistent array of references: to persistent objects, or to immutable copies of values
 * (String, byte[], boxed primitives) owned by their element.
 *
 * @param <T> the element type: a @Persistent class, a persistent array, an interface they implement, or a value class
 */
public final class PersistentRefArray<T> extends PersistentArray {

    /** Allocates {@code length} null elements. */
    public PersistentRefArray(long length) {
        allocate(length);
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PersistentRefArray(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    @Override
    public long length() {
        return HeapSpi.byteSizeOfReference(heap(), $jpmemRef()) / 8;
    }

    /**
     * {@return element {@code index}} A persistent object as its canonical handle; a value (String,
     * byte[], boxed primitive) as a new Java object equal to the stored copy.
     */
    @SuppressWarnings("unchecked")
    public T get(long index) {
        return (T) $jpmemSpace().load(heap().getRef(elementOffset(index, 8)));
    }

    /**
     * Sets element {@code index}: a persistent object by reference, a value (String, byte[], boxed
     * primitive) as an immutable copy owned by the element. A copy the element held before is freed
     * at commit. Undo-logged in the thread's transaction, or atomic in one of its own.
     *
     * @throws IllegalArgumentException if {@code value} is neither a persistent object of this heap nor a value
     */
    public void set(long index, T value) {
        $jpmemSpace().replaceSlot(elementOffset(index, 8), value, "PersistentRefArray[" + index + "]");
    }
}
