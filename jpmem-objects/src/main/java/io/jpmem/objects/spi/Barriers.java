package io.jpmem.objects.spi;

import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import java.util.Optional;

/**
 * What enhanced code calls instead of {@code getfield}, {@code putfield} and {@code Object.<init>}.
 * Not for application code.
 *
 * <h2>Stores</h2>
 * Inside a transaction on the object's heap, a store is undo-logged (not for a block allocated in
 * that transaction) and its line recorded for the commit's flush. Outside a transaction, a store of
 * one field (at most 8 bytes, aligned: never torn) is made durable before the call returns.
 */
public final class Barriers {

    private static final RuntimeAccess RUNTIME = RuntimeAccess.get();

    private Barriers() {}

    /** Called by the constructor of the first persistent class, right after {@code super()}. */
    public static void allocate(Object self) {
        PersistentObject object = (PersistentObject) self;
        Class<?> type = self.getClass();
        ObjectSpace space = RUNTIME.forAllocation(type);
        PersistentHeap heap = space.heap();
        HeapType heapType = RUNTIME.typeOf(space, type);
        long ref = HeapSpi.inTransactionLong(heap, tx -> tx.allocate(heapType));
        RUNTIME.bindNew(object, space, ref);
    }

    private static PersistentObject bound(Object self) {
        PersistentObject object = (PersistentObject) self;
        if (object.$jpmemSpace() == null) {
            throw new IllegalStateException(self.getClass().getName()
                    + ": a persistent field was used before the object's block exists (a store before super()?)");
        }
        return object;
    }

    private static PersistentHeap heap(PersistentObject object) {
        return object.$jpmemSpace().heap();
    }

    private static Optional<Transaction> tx(PersistentObject object) {
        return heap(object).currentTransaction();
    }

    // ---- loads

    public static long getLong(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getLong(o.$jpmemRef() + offset);
    }

    public static int getInt(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getInt(o.$jpmemRef() + offset);
    }

    public static short getShort(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getShort(o.$jpmemRef() + offset);
    }

    public static char getChar(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getChar(o.$jpmemRef() + offset);
    }

    public static byte getByte(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getByte(o.$jpmemRef() + offset);
    }

    public static boolean getBoolean(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getBoolean(o.$jpmemRef() + offset);
    }

    public static float getFloat(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getFloat(o.$jpmemRef() + offset);
    }

    public static double getDouble(Object self, int offset) {
        PersistentObject o = bound(self);
        return heap(o).getDouble(o.$jpmemRef() + offset);
    }

    public static Object getRef(Object self, int offset, Class<?> type) {
        PersistentObject o = bound(self);
        return RUNTIME.handle(o.$jpmemSpace(), heap(o).getRef(o.$jpmemRef() + offset), type);
    }

    // ---- stores: (self, value, offset), the order in which enhanced code has them on the stack

    public static void putLong(Object self, long value, int offset) {
        PersistentObject o = bound(self);
        long at = o.$jpmemRef() + offset;
        Optional<Transaction> tx = tx(o);
        if (tx.isPresent()) {
            tx.get().putLong(at, value);
        } else {
            heap(o).putLong(at, value);
            heap(o).persist(at, 8);
        }
    }

    public static void putInt(Object self, int value, int offset) {
        PersistentObject o = bound(self);
        long at = o.$jpmemRef() + offset;
        Optional<Transaction> tx = tx(o);
        if (tx.isPresent()) {
            tx.get().putInt(at, value);
        } else {
            heap(o).putInt(at, value);
            heap(o).persist(at, 4);
        }
    }

    public static void putShort(Object self, short value, int offset) {
        PersistentObject o = bound(self);
        long at = o.$jpmemRef() + offset;
        Optional<Transaction> tx = tx(o);
        if (tx.isPresent()) {
            tx.get().putShort(at, value);
        } else {
            heap(o).putShort(at, value);
            heap(o).persist(at, 2);
        }
    }

    public static void putChar(Object self, char value, int offset) {
        putShort(self, (short) value, offset);
    }

    public static void putByte(Object self, byte value, int offset) {
        PersistentObject o = bound(self);
        long at = o.$jpmemRef() + offset;
        Optional<Transaction> tx = tx(o);
        if (tx.isPresent()) {
            tx.get().putByte(at, value);
        } else {
            heap(o).putByte(at, value);
            heap(o).persist(at, 1);
        }
    }

    public static void putBoolean(Object self, boolean value, int offset) {
        putByte(self, value ? (byte) 1 : 0, offset);
    }

    public static void putFloat(Object self, float value, int offset) {
        putInt(self, Float.floatToRawIntBits(value), offset);
    }

    public static void putDouble(Object self, double value, int offset) {
        putLong(self, Double.doubleToRawLongBits(value), offset);
    }

    // ---- String and boxed fields: immutable persistent copies, the old copy freed at commit

    public static String getString(Object self, int offset) {
        PersistentObject o = bound(self);
        long copy = heap(o).getRef(o.$jpmemRef() + offset);
        return copy == 0 ? null : RUNTIME.readString(o.$jpmemSpace(), copy);
    }

    public static void putString(Object self, String value, int offset, String field) {
        putCopy(self, value, offset, field);
    }

    public static Object getBoxed(Object self, int offset, Class<?> boxClass) {
        PersistentObject o = bound(self);
        long copy = heap(o).getRef(o.$jpmemRef() + offset);
        return copy == 0 ? null : RUNTIME.box(heap(o).getLong(copy), boxClass);
    }

    public static void putBoxed(Object self, Object value, int offset, String field) {
        if (value != null && !ValueCopyRule.isValueClass(value.getClass())) {
            throw ValueCopyRule.notStorable(self.getClass().getName() + "." + field, value.getClass().getName());
        }
        putCopy(self, value, offset, field);
    }

    private static void putCopy(Object self, Object value, int offset, String field) {
        PersistentObject o = bound(self);
        RUNTIME.replaceSlot(o.$jpmemSpace(), o.$jpmemRef() + offset, value, self.getClass().getName() + "." + field);
    }

    // ---- fields of a dynamic type (a type variable, Object, an interface): a persistent object or a value copy

    public static Object getAny(Object self, int offset) {
        PersistentObject o = bound(self);
        return o.$jpmemSpace().load(heap(o).getRef(o.$jpmemRef() + offset));
    }

    /**
     * Stores a persistent object by reference or a value (String, byte[], boxed primitive) by copy;
     * a value copy the field held before is freed at commit.
     *
     * @throws IllegalArgumentException naming the class and field if {@code value} is neither
     */
    public static void putAny(Object self, Object value, int offset, String field) {
        PersistentObject o = bound(self);
        RUNTIME.replaceSlot(o.$jpmemSpace(), o.$jpmemRef() + offset, value, self.getClass().getName() + "." + field);
    }

    /**
     * Stores a reference.
     *
     * @throws IllegalArgumentException naming the class and field if {@code value} is not a
     *     persistent object of the same heap
     */
    public static void putRef(Object self, Object value, int offset, String field) {
        PersistentObject o = bound(self);
        long ref = RUNTIME.refOf(o.$jpmemSpace(), value, self.getClass().getName() + "." + field);
        long at = o.$jpmemRef() + offset;
        Optional<Transaction> tx = tx(o);
        if (tx.isPresent()) {
            tx.get().putRef(at, ref);
        } else {
            heap(o).putRef(at, ref);
            heap(o).persist(at, 8);
        }
    }
}
