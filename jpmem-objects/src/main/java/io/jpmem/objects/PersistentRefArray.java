package io.jpmem.objects;

/**
 * A persistent array of references to persistent objects of type {@code T}.
 *
 * @param <T> the element type: a @Persistent class (or a persistent array)
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
        return heap().blockByteSize($jpmemRef()) / 8;
    }

    /** {@return element {@code index}, as the canonical handle of its block} */
    @SuppressWarnings("unchecked")
    public T get(long index) {
        return (T) $jpmemSpace().handle(heap().getRef(elementOffset(index, 8)), Object.class);
    }

    /**
     * Sets element {@code index}.
     *
     * @throws IllegalArgumentException if {@code value} is not a persistent object of this heap
     */
    public void set(long index, T value) {
        long target = $jpmemSpace().refOf(value, "PersistentRefArray[" + index + "]");
        store(elementOffset(index, 8), target, 8);
    }
}
