package io.jpmem.objects.spi;

import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The base of hand-written persistent classes, such as the persistent collections: a handle on one
 * block (its header) that the subclass reads and writes through raw heap offsets rather than
 * enhanced fields, for inner loops that create no handle per step.
 *
 * <p>A subclass declares, like an enhanced class:
 * <ul>
 *   <li>{@code public static TypeLayout $jpmem$layout()} ({@link EnhancerAbi#LAYOUT_METHOD}): its
 *       header layout, named after the class: {@code TypeLayout.ofRecord(...)} (REF fields are what
 *       the recovery GC follows), or {@code TypeLayout.ofArray(...)} for a class whose block is an
 *       array of one kind (its header allocated with {@link #allocateArrayHeader(long)});
 *   <li>a public constructor {@code (Wrap, ObjectSpace, long)} that calls
 *       {@link #RawPersistentObject(Wrap, ObjectSpace, long)}: how the runtime wraps an existing
 *       block (any token but the runtime's, null included, is refused: {@link Wrap#check});
 *   <li>constructors that call {@link #allocateHeader()} once, to allocate the header in the heap
 *       {@code new} would use (see {@link ObjectSpace}).
 * </ul>
 * Handles are canonical like enhanced objects: {@code ==} and {@code synchronized} work.
 */
public abstract class RawPersistentObject implements PersistentObject {

    private static final RuntimeAccess RUNTIME = RuntimeAccess.get();

    private ObjectSpace space;
    private long ref;

    /** For constructors that allocate a new header with {@link #allocateHeader()}. */
    protected RawPersistentObject() {}

    /** For the wrapping constructor of an existing block. */
    protected RawPersistentObject(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
    }

    /**
     * Allocates this object's zeroed header block in the heap {@code new} would use, inside the
     * thread's transaction on it or in one of its own, and makes this the block's canonical handle.
     *
     * @throws IllegalStateException if no heap can be chosen, or the header exists already
     */
    protected final void allocateHeader() {
        if (space != null) {
            throw new IllegalStateException(getClass().getName() + ": header allocated twice");
        }
        Barriers.allocate(this);
    }

    /**
     * Allocates this object's zeroed block as an array of {@code length} elements (for a class whose
     * {@code $jpmem$layout()} is an array layout), in the heap {@code new} would use, inside the
     * thread's transaction on it or in one of its own, and makes this the block's canonical handle.
     *
     * @throws IllegalStateException if no heap can be chosen, or the block exists already
     * @throws IllegalArgumentException if the class's layout is not an array, or {@code length} is negative
     */
    protected final void allocateArrayHeader(long length) {
        if (space != null) {
            throw new IllegalStateException(getClass().getName() + ": header allocated twice");
        }
        ObjectSpace target = RUNTIME.forAllocation(getClass());
        HeapType type = RUNTIME.typeOf(target, getClass());
        PersistentHeap heap = target.heap();
        long block = HeapSpi.inTransactionLong(heap, tx -> tx.allocateArray(type, length));
        RUNTIME.bindNew(this, target, block);
    }

    @Override
    public final long $jpmemRef() {
        return ref;
    }

    @Override
    public final ObjectSpace $jpmemSpace() {
        return space;
    }

    @Override
    public final void $jpmemBind(Wrap wrap, ObjectSpace space, long ref) {
        Wrap.check(wrap);
        this.space = space;
        this.ref = ref;
    }

    /** {@return the heap of the header} */
    protected final PersistentHeap heap() {
        return space.heap();
    }

    /** {@return the reference of the header block} */
    protected final long header() {
        return ref;
    }

    /** {@return the object space of the header} */
    protected final ObjectSpace space() {
        return space;
    }
}
