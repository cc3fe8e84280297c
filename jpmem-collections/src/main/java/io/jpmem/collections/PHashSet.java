package io.jpmem.collections;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.PersistentHandle;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;

/**
 * A persistent hash set: a {@link Set} on the same engine as {@link PHashMap} (entries without
 * values), with the same elements (persistent objects by reference; {@code String}, {@code byte[]}
 * and boxed primitives copied in; null allowed), the same equality (byte[] by content) and the same
 * guarantees: every mutating method is failure-atomic, in the calling thread's transaction on the
 * set's heap or in one of its own (durable when it returns); incremental rehash; O(1) reopen;
 * dropped blocks are freed. Every method may throw {@link HeapFullException} (the mutation is rolled
 * back, or its transaction must be) and {@link IllegalStateException} if the heap is closed. Not
 * thread-safe.
 *
 * @param <E> the element type
 */
public final class PHashSet<E> extends AbstractSet<E> implements PersistentObject {

    private final PersistentHandle handle = new PersistentHandle();
    /** The handle's state, copied by {@link #$jpmemBind} for the hot paths (plain fields, set once). */
    private ObjectSpace space;
    private long ref;
    private HashCore core;

    /**
     * Creates an empty set in the heap {@code new} of a persistent class would use (see
     * {@link PHashMap#PHashMap()}).
     *
     * @throws IllegalStateException if no heap can be chosen
     */
    public PHashSet() {
        handle.allocate(this);
    }

    /** Wraps an existing set block; used by the runtime, not by applications. */
    public PHashSet(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
    }

    /** {@return the header layout recorded in the heap's type table} */
    public static TypeLayout $jpmem$layout() {
        return HashLayout.header(PHashSet.class);
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
        this.ref = handle.ref();
        this.core = new HashCore(space, ref, "PHashSet");
    }

    HashCore core() {
        return core;
    }

    /** {@return the number of elements, at most Integer.MAX_VALUE} */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, core.size());
    }

    @Override
    public boolean isEmpty() {
        return core.size() == 0;
    }

    @Override
    public boolean contains(Object element) {
        return core.findSlot(KeyProbe.of(element, space)) != 0;
    }

    /**
     * Adds {@code element} atomically if it is absent.
     *
     * @return whether it was added
     * @throws IllegalArgumentException if it can be stored neither by reference nor by copy
     */
    @Override
    public boolean add(E element) {
        KeyProbe probe = KeyProbe.of(element, space);
        probe.requireStorable(space, "PHashSet element");
        if (core.findSlot(probe) != 0) {
            return false; // present: nothing to write
        }
        return HeapSpi.inTransactionGet(core.heap(), tx -> core.put(tx, probe, null, false, true)) == HashCore.ABSENT;
    }

    /**
     * Adds every element of {@code elements}, all in one atomic step.
     *
     * @return whether the set changed
     * @throws IllegalArgumentException if an element cannot be stored (nothing is written)
     */
    @Override
    public boolean addAll(Collection<? extends E> elements) {
        for (E element : elements) {
            KeyProbe.of(element, space).requireStorable(space, "PHashSet element");
        }
        return HeapSpi.inTransactionGet(core.heap(), tx -> {
            boolean changed = false;
            for (E element : elements) {
                changed |= core.put(tx, KeyProbe.of(element, space), null, false, true) == HashCore.ABSENT;
            }
            return changed;
        });
    }

    /** Removes {@code element} atomically, freeing its entry and copy. Returns whether it was present. */
    @Override
    public boolean remove(Object element) {
        KeyProbe probe = KeyProbe.of(element, space);
        if (core.findSlot(probe) == 0) {
            return false;
        }
        return HeapSpi.inTransactionGet(core.heap(), tx -> core.remove(tx, probe, false)) != HashCore.ABSENT;
    }

    /** Removes every element atomically and frees every block but the header. O(size) in one transaction. */
    @Override
    public void clear() {
        if (core.size() == 0 && core.heap().getRef(ref + HashLayout.TABLE) == 0) {
            return;
        }
        HeapSpi.inTransactionGet(core.heap(), tx -> {
            core.clear(tx);
            return null;
        });
    }

    /**
     * Frees the set: its entries, their key and value copies, its table and its header, atomically
     * (in the thread's transaction on the heap, or in one of its own), and drops its canonical
     * handle. Persistent objects it refers to are left alone. The handle must not be used afterwards,
     * and nothing may still refer to the set.
     */
    public void free() {
        HeapSpi.inTransactionGet(core.heap(), tx -> {
            core.clear(tx);
            space.free(tx, this);
            return null;
        });
    }

    /** {@return an iterator whose {@code remove} is atomic per element; fail-fast} */
    @Override
    @SuppressWarnings("unchecked")
    public Iterator<E> iterator() {
        HashCursor cursor = new HashCursor(core);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public E next() {
                return (E) core.loadKey(cursor.nextEntry());
            }

            @Override
            public void remove() {
                cursor.remove();
            }
        };
    }

    /**
     * One step of a cursor iteration, as Redis's SSCAN: passes the elements of the bucket(s)
     * {@code cursor} names to {@code action} and returns the cursor of the next step, 0 when the
     * iteration is complete. Start with 0.
     *
     * <p><b>Guarantee</b> (Redis's SCAN): a full iteration — from cursor 0 until a call returns 0 —
     * returns every element present from its start to its end at least once, even if the set
     * grows, shrinks or is mid-rehash between calls (an incremental rehash is scanned in both
     * tables); elements added or removed during the iteration may or may not be returned, and any
     * may be returned more than once. No state is kept between calls: the cursor is all there is,
     * any number of iterations may run at once, and the set may change between calls (not during
     * one: the action runs after the step's elements were read, so it may change the set too).
     * Each call visits one bucket of the table (while rehashing, one of the smaller table and the
     * buckets of the larger one it expands to), returning the whole bucket, so it may return
     * nothing and still not be the end. Reads only. The cursor is a reverse-binary bucket index:
     * any value may be passed (a stale or foreign one starts somewhere in the middle).
     *
     * @return the next cursor, 0 at the end
     */
    @SuppressWarnings("unchecked")
    public long scan(long cursor, java.util.function.Consumer<? super E> action) {
        java.util.Objects.requireNonNull(action, "action");
        return HashScan.scan(core, cursor, false, (e, none) -> action.accept((E) e));
    }

    /** Set equality, with byte[] elements compared by content. */
    @Override
    public boolean equals(Object o) {
        return super.equals(o); // AbstractSet: same size and containsAll, through this set's contains
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (E element : this) {
            hash += PHashMap.deepHash(element);
        }
        return hash;
    }
}
