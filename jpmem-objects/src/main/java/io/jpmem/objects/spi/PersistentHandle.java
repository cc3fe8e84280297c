package io.jpmem.objects.spi;

import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;

/**
 * The state of a hand-written persistent class that does not extend {@code RawPersistentObject}
 * (because it extends {@code AbstractMap}, {@code AbstractList}, ..., or because it is public API of
 * another module, whose supertypes must be exported to all): which block of which space it is the
 * handle of. Such a class holds one of these and forwards the three {@link PersistentObject}
 * methods to it:
 *
 * <pre>{@code
 * private final PersistentHandle handle = new PersistentHandle();
 *
 * public PList() { handle.allocate(this); }
 * public PList(Wrap wrap, ObjectSpace space, long ref) { handle.bind(wrap, space, ref); }
 * public long $jpmemRef() { return handle.ref(); }
 * public ObjectSpace $jpmemSpace() { return handle.space(); }
 * public void $jpmemBind(Wrap wrap, ObjectSpace space, long ref) { handle.bind(wrap, space, ref); }
 * }</pre>
 */
public final class PersistentHandle {

    private ObjectSpace space;
    private PersistentHeap heap;
    private long ref;

    /** An unbound handle; {@link #allocate} or the runtime's {@link #bind} gives it its block. */
    public PersistentHandle() {}

    /**
     * Allocates {@code owner}'s zeroed block, as {@code new} of a persistent class does: in the heap of the
     * thread's transaction or the default heap (see {@link Barriers#allocate}). Binds this handle through
     * the runtime, which calls {@code owner.$jpmemBind}.
     *
     * @throws IllegalStateException if no heap can be chosen, or the block exists already
     */
    public void allocate(PersistentObject owner) {
        if (space != null) {
            throw new IllegalStateException(owner.getClass().getName() + ": block allocated twice");
        }
        Barriers.allocate(owner);
    }

    /**
     * Allocates {@code owner}'s zeroed block as an array of {@code length} elements (for a class whose
     * {@code $jpmem$layout()} is an array layout), in the heap {@code new} would use, inside the thread's
     * transaction on it or in one of its own, and binds this handle through the runtime.
     *
     * @throws IllegalStateException if no heap can be chosen, or the block exists already
     * @throws IllegalArgumentException if the class's layout is not an array, or {@code length} is negative
     */
    public void allocateArray(PersistentObject owner, long length) {
        if (space != null) {
            throw new IllegalStateException(owner.getClass().getName() + ": block allocated twice");
        }
        RuntimeAccess runtime = RuntimeAccess.get();
        ObjectSpace target = runtime.forAllocation(owner.getClass());
        HeapType type = runtime.typeOf(target, owner.getClass());
        long block = HeapSpi.inTransactionLong(target.heap(), tx -> tx.allocateArray(type, length));
        runtime.bindNew(owner, target, block);
    }

    /**
     * Binds this handle to block {@code ref} of {@code space}: what the owner's wrapping constructor and
     * {@code $jpmemBind} do.
     *
     * @throws IllegalArgumentException if {@code wrap} is not the runtime's token (null included)
     */
    public void bind(Wrap wrap, ObjectSpace space, long ref) {
        Wrap.check(wrap);
        this.space = space;
        this.heap = space.heap();
        this.ref = ref;
    }

    /** {@return the block's reference} */
    public long ref() {
        return ref;
    }

    /** {@return the block's object space, null before the block exists} */
    public ObjectSpace space() {
        return space;
    }

    /** {@return the block's heap} */
    public PersistentHeap heap() {
        return heap;
    }
}
