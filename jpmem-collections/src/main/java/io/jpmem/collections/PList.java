package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.PersistentHandle;
import java.util.AbstractList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Consumer;

/**
 * A persistent array list: {@link java.util.List} semantics (nulls allowed, fail-fast iterators,
 * {@code subList}, list {@code equals}/{@code hashCode}), elements held in one growable array of
 * references in the heap.
 *
 * <h2>Elements</h2>
 * A persistent object (an enhanced {@code @Persistent} class, a persistent array, a persistent
 * collection) is held by reference and never freed by the list. A {@code String}, {@code byte[]} or
 * boxed primitive is copied into an immutable block owned by its slot (see {@link ObjectSpace#store}):
 * {@code get} returns a new equal Java value, and the copy is freed when the slot is overwritten,
 * removed or cleared. Anything else is refused with {@link IllegalArgumentException} before anything is
 * written.
 * {@code indexOf}, {@code lastIndexOf}, {@code contains} and {@code remove(Object)} match byte arrays by
 * content (a stored {@code byte[]} is a copy, read as a new array each time); {@code equals} of two lists
 * follows {@code List}, element {@code equals}.
 *
 * <h2>Layout</h2>
 * A 24-byte header {@code {slots REF @0, size LONG @8, capacity LONG @16}} and a slots block (type
 * {@code io.jpmem.collections.PList$Slots}, a REF array of {@code capacity} references; none while the
 * capacity is 0). Invariant: slots {@code [size, capacity)} are 0, so the recovery GC, which follows
 * every slot of a REF array, only ever sees live elements.
 *
 * <h2>Atomicity and durability</h2>
 * Every mutating method, bulk ones included ({@code addAll}, {@code clear}, {@code removeRange} through
 * {@code subList(...).clear()}), runs in the thread's transaction on the heap (durable when it commits)
 * or in a transaction of its own (durable when the method returns). Stores into the existing slots block
 * and the header are undo-logged; growth (to {@code max(needed, 1.5 x capacity, 8)}) copies the
 * references into a new block (not logged) and frees the old block at commit. Inserting or removing at
 * index {@code i} logs the shifted references {@code [i, size)} as one entry per 64 KiB.
 *
 * <h2>Why {@code AbstractList}</h2>
 * The list extends {@link AbstractList} and implements {@link PersistentObject} itself (rather than
 * extending {@code RawPersistentObject}), so that the JDK's tested code supplies the derived parts of the
 * {@code List} contract — iterators with {@code modCount}, {@code subList}, {@code equals},
 * {@code hashCode}, {@code toString} — on top of the raw {@code get}/{@code set}/{@code add}/{@code remove}
 * written here. Like {@code ArrayList}, it is not safe for concurrent mutation.
 *
 * <p>Reopening a heap costs nothing per list: a handle reads the header on each call.
 *
 * @param <E> the element type: a persistent class, an interface they implement, or a value class
 */
public final class PList<E> extends AbstractList<E> implements RandomAccess, PersistentObject {

    static final String SLOTS_TYPE = "io.jpmem.collections.PList$Slots";
    static final int SLOTS = 0;
    static final int SIZE = 8;
    static final int CAPACITY = 16;
    static final int HEADER_BYTES = 24;
    private static final long MIN_CAPACITY = 8;

    /** Header layout: the slots block (the GC follows it), the size and the capacity. */
    public static TypeLayout $jpmem$layout() {
        return TypeLayout.ofRecord(PList.class.getName(), 24,
                FieldLayout.of("slots", FieldKind.REF, 0),
                FieldLayout.of("size", FieldKind.LONG, 8),
                FieldLayout.of("capacity", FieldKind.LONG, 16));
    }

    private final PersistentHandle handle = new PersistentHandle();
    /** The handle's state, copied by {@link #$jpmemBind} for the hot paths (plain fields, set once). */
    private ObjectSpace space;
    private PersistentHeap heap;
    private long ref;
    private HeapType slotsType;

    /**
     * Allocates an empty list (a header only) like {@code new} of a {@code @Persistent} class: in the heap
     * of the thread's transaction, or in the {@linkplain ObjectSpace#setDefault default} heap.
     *
     * @throws IllegalStateException if no heap can be chosen
     */
    public PList() {
        handle.allocate(this);
    }

    /**
     * Allocates a list holding {@code elements}, atomically.
     *
     * @throws IllegalArgumentException if an element cannot be stored (the header is freed again)
     * @throws IllegalStateException if no heap can be chosen
     */
    public PList(Collection<? extends E> elements) {
        handle.allocate(this);
        try {
            addAll(elements);
        } catch (RuntimeException e) {
            free();
            throw e;
        }
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PList(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
    }

    @Override
    public long $jpmemRef() {
        return handle.ref();
    }

    @Override
    public ObjectSpace $jpmemSpace() {
        return handle.space();
    }

    @Override
    public void $jpmemBind(Wrap wrap, ObjectSpace space, long ref) {
        handle.bind(wrap, space, ref);
        this.space = handle.space();
        this.heap = handle.heap();
        this.ref = handle.ref();
    }

    // ---------------------------------------------------------------- reads

    @Override
    public int size() {
        return (int) heap.getLong(ref + SIZE);
    }

    /** {@return the capacity of the slots block} */
    public long capacity() {
        return heap.getLong(ref + CAPACITY);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        PersistentHeap h = heap;
        Objects.checkIndex(index, h.getLong(ref + SIZE));
        return (E) space.load(h.getRef(h.getRef(ref + SLOTS) + 8L * index));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super E> action) {
        PersistentHeap h = heap;
        long size = h.getLong(ref + SIZE);
        long slots = h.getRef(ref + SLOTS);
        int expected = modCount;
        for (long i = 0; i < size; i++) {
            action.accept((E) space.load(h.getRef(slots + 8 * i)));
            if (modCount != expected) {
                throw new java.util.ConcurrentModificationException();
            }
        }
    }

    /** {@return the first index of an element matching {@code o}, or -1} Byte arrays match by content. */
    @Override
    public int indexOf(Object o) {
        int size = size();
        for (int i = 0; i < size; i++) {
            Object e = get(i);
            if (o == null ? e == null : e != null && SequenceSupport.matches(o, e)) {
                return i;
            }
        }
        return -1;
    }

    /** {@return the last index of an element matching {@code o}, or -1} Byte arrays match by content. */
    @Override
    public int lastIndexOf(Object o) {
        for (int i = size() - 1; i >= 0; i--) {
            Object e = get(i);
            if (o == null ? e == null : e != null && SequenceSupport.matches(o, e)) {
                return i;
            }
        }
        return -1;
    }

    /** {@return whether an element matches {@code o}} Byte arrays match by content. */
    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /** Removes the first element matching {@code o} (byte arrays by content), atomically. */
    @Override
    public boolean remove(Object o) {
        int i = indexOf(o);
        if (i < 0) {
            return false;
        }
        remove(i);
        return true;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Replaces element {@code index}, atomically; a value copy it held is freed at commit.
     *
     * @return the element it held (for a value, a Java copy read before the replacement)
     * @throws IndexOutOfBoundsException outside [0, size)
     * @throws IllegalArgumentException if {@code element} can be stored neither by reference nor by copy
     */
    @Override
    @SuppressWarnings("unchecked")
    public E set(int index, E element) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE));
        SequenceSupport.checkStorable(space, element, "PList element");
        return HeapSpi.inTransactionGet(heap, tx -> {
            long slot = heap.getRef(ref + SLOTS) + 8L * index;
            long old = heap.getRef(slot);
            E previous = (E) space.load(old);
            tx.putRef(slot, space.store(tx, element, "PList element"));
            space.release(tx, old);
            return previous;
        });
    }

    /** Appends {@code element}, atomically (amortized O(1): two logged 8-byte stores). */
    @Override
    public boolean add(E element) {
        SequenceSupport.checkStorable(space, element, "PList element");
        HeapSpi.inTransaction(heap, tx -> insert(tx, heap.getLong(ref + SIZE), element));
        modCount++;
        return true;
    }

    /**
     * Inserts {@code element} at {@code index}, atomically, shifting later elements right.
     *
     * @throws IndexOutOfBoundsException outside [0, size]
     */
    @Override
    public void add(int index, E element) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE) + 1);
        SequenceSupport.checkStorable(space, element, "PList element");
        HeapSpi.inTransaction(heap, tx -> insert(tx, index, element));
        modCount++;
    }

    /** Appends every element of {@code elements} in one atomic step. */
    @Override
    public boolean addAll(Collection<? extends E> elements) {
        return addAll(size(), elements);
    }

    /** Inserts every element of {@code elements} at {@code index} in one atomic step. */
    @Override
    public boolean addAll(int index, Collection<? extends E> elements) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE) + 1);
        Object[] values = elements.toArray();
        for (Object value : values) {
            SequenceSupport.checkStorable(space, value, "PList element");
        }
        if (values.length == 0) {
            return false;
        }
        HeapSpi.inTransaction(heap, tx -> {
            long size = heap.getLong(ref + SIZE);
            long slots = ensureCapacity(tx, size + values.length);
            SequenceSupport.move(heap, tx, slots + 8L * index, slots + 8L * (index + values.length), 8L * (size - index));
            byte[] refs = new byte[8 * values.length]; // one logged range, not one entry per element
            java.nio.ByteBuffer image = java.nio.ByteBuffer.wrap(refs).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (Object value : values) {
                image.putLong(space.store(tx, value, "PList element"));
            }
            tx.putBytes(slots + 8L * index, refs, 0, refs.length);
            tx.snapshot(ref, HEADER_BYTES);
            tx.putLong(ref + SIZE, size + values.length);
        });
        modCount++;
        return true;
    }

    /**
     * Removes element {@code index}, atomically, shifting later elements left; a value copy it held is
     * freed at commit.
     *
     * @return the element (for a value, a Java copy)
     * @throws IndexOutOfBoundsException outside [0, size)
     */
    @Override
    @SuppressWarnings("unchecked")
    public E remove(int index) {
        Objects.checkIndex(index, heap.getLong(ref + SIZE));
        E removed = HeapSpi.inTransactionGet(heap, tx -> {
            long slot = heap.getRef(ref + SLOTS) + 8L * index;
            long old = heap.getRef(slot);
            E previous = (E) space.load(old);
            removeSlots(tx, index, index + 1);
            return previous;
        });
        modCount++;
        return removed;
    }

    /** Removes every element, atomically: frees their value copies and the slots block. */
    @Override
    public void clear() {
        if (heap.getLong(ref + CAPACITY) == 0) {
            return;
        }
        HeapSpi.inTransaction(heap, tx -> {
            long size = heap.getLong(ref + SIZE);
            long slots = heap.getRef(ref + SLOTS);
            releaseRange(tx, slots, 0, size);
            tx.free(slots);
            tx.snapshot(ref, HEADER_BYTES);
            tx.putRef(ref + SLOTS, 0);
            tx.putLong(ref + SIZE, 0);
            tx.putLong(ref + CAPACITY, 0);
        });
        modCount++;
    }

    /** Removes elements {@code [from, to)} atomically (what {@code subList(from, to).clear()} calls). */
    @Override
    protected void removeRange(int from, int to) {
        Objects.checkFromToIndex(from, to, heap.getLong(ref + SIZE));
        if (from == to) {
            return;
        }
        HeapSpi.inTransaction(heap, tx -> removeSlots(tx, from, to));
        modCount++;
    }

    /**
     * Sorts the list in one atomic step (stable; {@code null} means natural order): the elements are read
     * once to be compared, then the references are written back permuted — one logged range, no value
     * copied again.
     *
     * @throws ClassCastException if the elements are not mutually comparable (nothing is written)
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void sort(java.util.Comparator<? super E> comparator) {
        int size = size();
        if (size < 2) {
            return;
        }
        long slots = heap.getRef(ref + SLOTS);
        Object[] values = toArray();
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        java.util.Comparator<Object> byValue = comparator == null
                ? (a, b) -> ((Comparable) a).compareTo(b) : (java.util.Comparator<Object>) comparator;
        java.util.Arrays.sort(order, (a, b) -> byValue.compare(values[a], values[b]));
        byte[] image = new byte[8 * size];
        java.nio.ByteBuffer refs = java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            refs.putLong(heap.getRef(slots + 8L * order[i]));
        }
        HeapSpi.inTransaction(heap, tx -> tx.putBytes(slots, image, 0, image.length));
        modCount++;
    }

    /** Replaces each element with {@code operator}'s result, all in one atomic step. */
    @Override
    public void replaceAll(java.util.function.UnaryOperator<E> operator) {
        Objects.requireNonNull(operator, "operator");
        HeapSpi.inTransaction(heap, tx -> super.replaceAll(operator));
    }

    /**
     * Removes the elements {@code filter} accepts in one atomic step: their value copies are freed at
     * commit and the survivors after the first removed one are moved (one logged range).
     */
    @Override
    public boolean removeIf(java.util.function.Predicate<? super E> filter) {
        Objects.requireNonNull(filter, "filter");
        int size = size();
        boolean[] remove = new boolean[size];
        int removed = 0;
        for (int i = 0; i < size; i++) {
            if (filter.test(get(i))) {
                remove[i] = true;
                removed++;
            }
        }
        if (removed == 0) {
            return false;
        }
        int count = removed;
        HeapSpi.inTransaction(heap, tx -> {
            long slots = heap.getRef(ref + SLOTS);
            int firstRemoved = 0;
            while (!remove[firstRemoved]) {
                firstRemoved++;
            }
            byte[] kept = new byte[8 * (size - firstRemoved - count)];
            java.nio.ByteBuffer refs = java.nio.ByteBuffer.wrap(kept).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = firstRemoved; i < size; i++) {
                long r = heap.getRef(slots + 8L * i);
                if (remove[i]) {
                    space.release(tx, r);
                } else {
                    refs.putLong(r);
                }
            }
            tx.putBytes(slots + 8L * firstRemoved, kept, 0, kept.length);
            tx.fill(slots + 8L * (size - count), 8L * count, (byte) 0);
            tx.putLong(ref + SIZE, size - count);
        });
        modCount++;
        return true;
    }

    /**
     * Frees the list's blocks (header, slots and value copies), in the thread's transaction on the heap
     * or in one of its own. Persistent objects it refers to are left alone. The handle must not be used
     * afterwards, and nothing may still refer to the list.
     */
    public void free() {
        HeapSpi.inTransaction(heap, tx -> {
            long slots = heap.getRef(ref + SLOTS);
            if (slots != 0) {
                releaseRange(tx, slots, 0, heap.getLong(ref + SIZE));
                tx.free(slots);
            }
            space.free(tx, this);
        });
    }

    // ---------------------------------------------------------------- inside a transaction

    private void insert(Transaction tx, long index, E element) {
        long value = space.store(tx, element, "PList element");
        long size = heap.getLong(ref + SIZE);
        long slots = ensureCapacity(tx, size + 1);
        if (index < size) {
            SequenceSupport.move(heap, tx, slots + 8 * index, slots + 8 * (index + 1), 8 * (size - index));
        }
        tx.putRef(slots + 8 * index, value);
        tx.putLong(ref + SIZE, size + 1);
    }

    /** Removes slots [from, to): frees their value copies, shifts the tail left, zeroes the vacated slots. */
    private void removeSlots(Transaction tx, long from, long to) {
        long size = heap.getLong(ref + SIZE);
        long slots = heap.getRef(ref + SLOTS);
        releaseRange(tx, slots, from, to);
        long removed = to - from;
        SequenceSupport.move(heap, tx, slots + 8 * to, slots + 8 * from, 8 * (size - to));
        tx.fill(slots + 8 * (size - removed), 8 * removed, (byte) 0);
        tx.putLong(ref + SIZE, size - removed);
    }

    private void releaseRange(Transaction tx, long slots, long from, long to) {
        for (long i = from; i < to; i++) {
            space.release(tx, heap.getRef(slots + 8 * i));
        }
    }

    /** {@return the slots block, grown first if it holds fewer than {@code needed} references} */
    private long ensureCapacity(Transaction tx, long needed) {
        long capacity = heap.getLong(ref + CAPACITY);
        long slots = heap.getRef(ref + SLOTS);
        if (needed <= capacity) {
            return slots;
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a PList holds at most " + (Integer.MAX_VALUE - 8) + " elements");
        }
        long grown = Math.min(Integer.MAX_VALUE - 8, Math.max(needed, Math.max(MIN_CAPACITY, capacity + (capacity >> 1))));
        long fresh = tx.allocateArray(slotsType(), grown);
        SequenceSupport.move(heap, tx, slots, fresh, 8 * heap.getLong(ref + SIZE)); // new block: not logged
        tx.snapshot(ref, HEADER_BYTES);
        tx.putRef(ref + SLOTS, fresh);
        tx.putLong(ref + CAPACITY, grown);
        if (slots != 0) {
            tx.free(slots);
        }
        return fresh;
    }

    private HeapType slotsType() {
        HeapType type = slotsType;
        if (type == null) {
            type = SequenceSupport.arrayType(heap, SLOTS_TYPE, FieldKind.REF);
            slotsType = type;
        }
        return type;
    }
}
