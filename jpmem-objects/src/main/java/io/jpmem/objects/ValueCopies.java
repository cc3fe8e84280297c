package io.jpmem.objects;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.spi.ValueCopyRule;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Immutable persistent copies of the value classes: {@code String} (UTF-8 bytes), {@code byte[]}
 * and the boxed primitives (one 8-byte word). A copy belongs to the one slot that points at it: it
 * is made when a value is stored and freed when the slot is overwritten or cleared.
 *
 * <p>Which classes are value classes, and the name of each one's heap type, is
 * {@link ValueCopyRule}'s; a reference slot of a dynamic type (a type variable, {@code Object}, an
 * interface) tells a copy from a persistent object by its block's type.
 */
final class ValueCopies {

    private final PersistentHeap heap;
    private final ConcurrentHashMap<Class<?>, HeapType> typeByClass = new ConcurrentHashMap<>();
    /**
     * The value class of each type id met so far, indexed by type id; {@code Void.class} for a type
     * that is not a value class, null for one not yet met. Grown by copy; racy reads only ever miss.
     */
    private volatile Class<?>[] classByTypeId = new Class<?>[64];

    ValueCopies(PersistentHeap heap) {
        this.heap = heap;
    }

    /** {@return the heap type of a value class's copies, registered on first use} */
    HeapType typeOf(Class<?> valueClass) {
        return typeByClass.computeIfAbsent(valueClass, c -> heap.types().register(
                c == String.class || c == byte[].class ? TypeLayout.ofArray(ValueCopyRule.heapTypeName(c), FieldKind.BYTE)
                        : TypeLayout.ofRecord(ValueCopyRule.heapTypeName(c), 8, FieldLayout.of("value", FieldKind.LONG, 0))));
    }

    /** {@return the value class of the block at {@code ref}, or null if it is not a copy} */
    Class<?> valueClassAt(long ref) {
        int typeId = HeapSpi.typeIdOfReference(heap, ref);
        Class<?>[] known = classByTypeId;
        Class<?> cls = typeId >= 0 && typeId < known.length ? known[typeId] : null;
        if (cls == null) {
            cls = learn(typeId);
        }
        return cls == Void.class ? null : cls;
    }

    private synchronized Class<?> learn(int typeId) {
        Class<?> cls = ValueCopyRule.valueClassOfHeapType(heap.types().get(typeId).layout().className());
        if (cls == null) {
            cls = Void.class;
        }
        Class<?>[] known = classByTypeId;
        if (typeId >= known.length) {
            known = java.util.Arrays.copyOf(known, Math.max(typeId + 1, known.length * 2));
        } else {
            known = known.clone();
        }
        known[typeId] = cls;
        classByTypeId = known;
        return cls;
    }

    /** Copies {@code value} (a String, byte[] or boxed primitive) into a new block of {@code tx}. */
    long copy(Transaction tx, Object value) {
        switch (value) {
            case String s -> {
                return copyBytes(tx, typeOf(String.class), s.getBytes(StandardCharsets.UTF_8));
            }
            case byte[] bytes -> {
                return copyBytes(tx, typeOf(byte[].class), bytes);
            }
            default -> {
                long bits = bitsOf(value);
                long copy = tx.allocate(typeOf(value.getClass()));
                tx.putLong(copy, bits);
                return copy;
            }
        }
    }

    private static long copyBytes(Transaction tx, HeapType type, byte[] bytes) {
        return tx.allocateArrayCopy(type, bytes);
    }

    /** {@return a new Java value equal to the copy at {@code ref}, whose class is {@code valueClass}} */
    Object read(long ref, Class<?> valueClass) {
        if (valueClass == String.class) {
            return new String(bytes(ref), StandardCharsets.UTF_8);
        }
        if (valueClass == byte[].class) {
            return bytes(ref);
        }
        return box(heap.getLong(ref), valueClass);
    }

    private byte[] bytes(long ref) {
        byte[] bytes = new byte[(int) HeapSpi.byteSizeOfReference(heap, ref)];
        heap.getBytes(ref, bytes, 0, bytes.length);
        return bytes;
    }

    static long bitsOf(Object value) {
        return switch (value) {
            case Long v -> v;
            case Integer v -> v;
            case Short v -> v;
            case Byte v -> v;
            case Character v -> v;
            case Boolean v -> v ? 1 : 0;
            case Float v -> Float.floatToRawIntBits(v);
            case Double v -> Double.doubleToRawLongBits(v);
            default -> throw ValueCopyRule.notStorable("boxed value", value.getClass().getName());
        };
    }

    static Object box(long bits, Class<?> boxClass) {
        if (boxClass == Long.class) {
            return bits;
        } else if (boxClass == Integer.class) {
            return (int) bits;
        } else if (boxClass == Short.class) {
            return (short) bits;
        } else if (boxClass == Byte.class) {
            return (byte) bits;
        } else if (boxClass == Character.class) {
            return (char) bits;
        } else if (boxClass == Boolean.class) {
            return bits != 0;
        } else if (boxClass == Float.class) {
            return Float.intBitsToFloat((int) bits);
        } else if (boxClass == Double.class) {
            return Double.longBitsToDouble(bits);
        }
        throw new IllegalArgumentException("not a boxed primitive class: " + boxClass.getName());
    }
}
