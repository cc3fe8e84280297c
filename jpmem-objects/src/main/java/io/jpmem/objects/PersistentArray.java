package io.jpmem.objects;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.spi.PersistentHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The base of the persistent arrays: a fixed-length block of one element kind, with a handle that
 * can be stored in fields of {@code @Persistent} classes like any persistent object. Element stores
 * are undo-logged inside a transaction and durable at once outside one; {@code copyOf}-style bulk
 * operations are the collections' business.
 */
public abstract sealed class PersistentArray implements PersistentObject permits PersistentBooleanArray,
        PersistentByteArray, PersistentShortArray, PersistentCharArray, PersistentIntArray, PersistentFloatArray,
        PersistentLongArray, PersistentDoubleArray, PersistentRefArray {

    private final PersistentHandle handle = new PersistentHandle();

    PersistentArray() {}

    PersistentArray(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
    }

    @Override
    public final long $jpmemRef() {
        return handle.ref();
    }

    @Override
    public final ObjectSpace $jpmemSpace() {
        return handle.space();
    }

    @Override
    public final void $jpmemBind(Wrap wrap, ObjectSpace space, long ref) {
        handle.bind(wrap, space, ref);
    }

    /** {@return the heap of the block} */
    final PersistentHeap heap() {
        return handle.heap();
    }

    /** {@return the reference of the block} */
    final long header() {
        return handle.ref();
    }

    /** Allocates the block for {@code length} elements in the heap {@code new} would use. */
    final void allocate(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        ObjectSpace target = ObjectSpace.forAllocation(getClass());
        HeapType type = target.typeOf(getClass());
        PersistentHeap heap = target.heap();
        long block = HeapSpi.inTransactionLong(heap, tx -> tx.allocateArray(type, length));
        $jpmemBind(Wrap.token(), target, block);
        target.registerNew(this, block);
    }

    /** {@return the number of elements} */
    public abstract long length();

    final long elementOffset(long index, int elementBytes) {
        long length = length();
        Objects.checkIndex(index, length);
        return header() + index * elementBytes;
    }

    /** Stores the low {@code bytes} bytes of {@code bits}: undo-logged in a transaction, durable at once outside one. */
    final void store(long at, long bits, int bytes) {
        Optional<Transaction> tx = heap().currentTransaction();
        if (tx.isPresent()) {
            switch (bytes) {
                case 1 -> tx.get().putByte(at, (byte) bits);
                case 2 -> tx.get().putShort(at, (short) bits);
                case 4 -> tx.get().putInt(at, (int) bits);
                default -> tx.get().putLong(at, bits);
            }
        } else {
            switch (bytes) {
                case 1 -> heap().putByte(at, (byte) bits);
                case 2 -> heap().putShort(at, (short) bits);
                case 4 -> heap().putInt(at, (int) bits);
                default -> heap().putLong(at, bits);
            }
            heap().persist(at, bytes);
        }
    }

    private static final java.util.Map<Class<?>, FieldKind> ELEMENT_KINDS = java.util.Map.of(
            PersistentBooleanArray.class, FieldKind.BOOLEAN, PersistentByteArray.class, FieldKind.BYTE,
            PersistentShortArray.class, FieldKind.SHORT, PersistentCharArray.class, FieldKind.CHAR,
            PersistentIntArray.class, FieldKind.INT, PersistentFloatArray.class, FieldKind.FLOAT,
            PersistentLongArray.class, FieldKind.LONG, PersistentDoubleArray.class, FieldKind.DOUBLE,
            PersistentRefArray.class, FieldKind.REF);

    static TypeLayout layoutOf(Class<?> type) {
        FieldKind kind = ELEMENT_KINDS.get(type);
        if (kind == null) {
            throw new IllegalArgumentException(type.getName() + " is not a persistent array class");
        }
        return TypeLayout.ofArray(type.getName(), kind);
    }
}
