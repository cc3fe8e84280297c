package io.jpmem.collections;

import static io.jpmem.collections.HashLayout.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key prepared once per operation: its kind (tag), its Java hash, and what an entry must hold to
 * match it, so that a chain is walked on raw offsets without creating a handle or a Java value per
 * entry.
 *
 * <p>Equality follows Java's, kind by kind: {@code String} keys by content (compared as UTF-8
 * bytes), {@code byte[]} keys by content (a stored copy has no identity; this is where the map
 * differs from {@code java.util.HashMap}), boxed keys by class and {@code equals} (their bits are
 * kept inline in the entry: no block), persistent objects whose class does not override
 * {@code hashCode} by identity (the block reference, hashed so that the hash survives a restart),
 * other persistent objects by {@code equals} and their own {@code hashCode}, which must then be
 * the same in every run (a content hash). Keys of different kinds are never equal.
 */
final class KeyProbe {

    static final int NULL = 1;
    static final int STRING = 2;
    static final int BYTES = 3;
    static final int IDENTITY = 4;
    static final int OBJECT = 5;
    static final int LONG = 6;
    static final int INTEGER = 7;
    static final int SHORT = 8;
    static final int BYTE = 9;
    static final int CHARACTER = 10;
    static final int BOOLEAN = 11;
    static final int FLOAT = 12;
    static final int DOUBLE = 13;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Whether a class keeps Object's identity hashCode (then its persistent instances are keyed by reference). */
    private static final ClassValue<Boolean> IDENTITY_HASHED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("hashCode").getDeclaringClass() == Object.class;
            } catch (NoSuchMethodException e) {
                return true;
            }
        }
    };

    final Object key;
    final int tag;
    final int hash;
    final long hashWord;
    /** A boxed key's bits, or the byte length of a String/byte[] key. */
    final long bits;
    /** The UTF-8 bytes of a String key, the array of a byte[] key, else null. */
    final byte[] bytes;
    /** The block of a persistent-object key of this map's heap, else 0. */
    final long ref;

    private KeyProbe(Object key, int tag, int hash, long bits, byte[] bytes, long ref) {
        this.key = key;
        this.tag = tag;
        this.hash = hash;
        this.hashWord = (long) tag << 32 | Integer.toUnsignedLong(hash);
        this.bits = bits;
        this.bytes = bytes;
        this.ref = ref;
    }

    /** {@return the probe of {@code key}} Any object can be looked up; {@link #requireStorable} says whether it can be stored. */
    static KeyProbe of(Object key, ObjectSpace space) {
        return switch (key) {
            case null -> new KeyProbe(null, NULL, 0, 0, null, 0);
            case String s -> {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                yield new KeyProbe(s, STRING, s.hashCode(), utf8.length, utf8, 0);
            }
            case byte[] b -> new KeyProbe(b, BYTES, Arrays.hashCode(b), b.length, b, 0);
            case Long v -> new KeyProbe(v, LONG, v.hashCode(), v, null, 0);
            case Integer v -> new KeyProbe(v, INTEGER, v.hashCode(), v, null, 0);
            case Short v -> new KeyProbe(v, SHORT, v.hashCode(), v, null, 0);
            case Byte v -> new KeyProbe(v, BYTE, v.hashCode(), v, null, 0);
            case Character v -> new KeyProbe(v, CHARACTER, v.hashCode(), v, null, 0);
            case Boolean v -> new KeyProbe(v, BOOLEAN, v.hashCode(), v ? 1 : 0, null, 0);
            case Float v -> new KeyProbe(v, FLOAT, v.hashCode(), Float.floatToIntBits(v), null, 0);
            case Double v -> new KeyProbe(v, DOUBLE, v.hashCode(), Double.doubleToLongBits(v), null, 0);
            case PersistentObject p when p.$jpmemSpace() == space -> IDENTITY_HASHED.get(p.getClass())
                    ? new KeyProbe(p, IDENTITY, referenceHash(p.$jpmemRef()), 0, null, p.$jpmemRef())
                    : new KeyProbe(p, OBJECT, p.hashCode(), 0, null, p.$jpmemRef());
            default -> new KeyProbe(key, OBJECT, key.hashCode(), 0, null, 0);
        };
    }

    /** A hash of a block reference that is the same in every run (identity hash codes are not). */
    static int referenceHash(long ref) {
        long x = ref * 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }

    /**
     * Checks that the key can be stored in {@code space}.
     *
     * @throws IllegalArgumentException naming the class if it is neither a value nor a persistent object of this heap
     */
    void requireStorable(ObjectSpace space, String where) {
        if (tag == OBJECT && ref == 0) {
            space.requireStorable(key, where); // neither a value nor a persistent object of this heap: throws
        }
    }

    /** {@return whether the entry at {@code entry} holds this key} */
    boolean matches(PersistentHeap heap, ObjectSpace space, long entry) {
        if (heap.getLong(entry + HASH_WORD) != hashWord) {
            return false;
        }
        return switch (tag) {
            case NULL -> true;
            case STRING, BYTES -> heap.getLong(entry + KEY_BITS) == bits && sameBytes(heap, heap.getRef(entry + KEY));
            case IDENTITY -> heap.getRef(entry + KEY) == ref;
            case OBJECT -> {
                long stored = heap.getRef(entry + KEY);
                yield (ref != 0 && stored == ref) || Objects.equals(key, space.load(stored));
            }
            default -> heap.getLong(entry + KEY_BITS) == bits;
        };
    }

    private boolean sameBytes(PersistentHeap heap, long at) {
        byte[] b = bytes;
        int n = b.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if (heap.getLong(at + i) != (long) LONGS.get(b, i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (heap.getByte(at + i) != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes this key into a new entry (unlogged: the entry is new in {@code tx}); copies String and byte[] keys. */
    void writeInto(Transaction tx, ObjectSpace space, long entry) {
        tx.putLong(entry + HASH_WORD, hashWord);
        tx.putLong(entry + KEY_BITS, bits);
        long keyRef = switch (tag) {
            case STRING, BYTES -> space.store(tx, key, "key");
            case IDENTITY, OBJECT -> ref;
            default -> 0;
        };
        if (keyRef != 0) {
            tx.putRef(entry + KEY, keyRef);
        }
    }

    /** Frees in {@code tx} the key copy the entry owns, if any. */
    static void releaseKey(Transaction tx, PersistentHeap heap, long entry) {
        int tag = (int) (heap.getLong(entry + HASH_WORD) >>> 32);
        if (tag == STRING || tag == BYTES) {
            tx.free(heap.getRef(entry + KEY));
        }
    }

    /** {@return a Java key equal to the one the entry holds} A new String, byte[] or box; a persistent object's canonical handle. */
    static Object loadKey(PersistentHeap heap, ObjectSpace space, long entry) {
        int tag = (int) (heap.getLong(entry + HASH_WORD) >>> 32);
        return switch (tag) {
            case NULL -> null;
            case STRING, BYTES -> { // the length is in the entry: read the copy without looking it up
                byte[] bytes = new byte[(int) heap.getLong(entry + KEY_BITS)];
                heap.getBytes(heap.getRef(entry + KEY), bytes, 0, bytes.length);
                yield tag == STRING ? new String(bytes, StandardCharsets.UTF_8) : bytes;
            }
            case IDENTITY, OBJECT -> space.load(heap.getRef(entry + KEY));
            default -> box(tag, heap.getLong(entry + KEY_BITS));
        };
    }

    private static Object box(int tag, long bits) {
        return switch (tag) {
            case LONG -> bits;
            case INTEGER -> (int) bits;
            case SHORT -> (short) bits;
            case BYTE -> (byte) bits;
            case CHARACTER -> (char) bits;
            case BOOLEAN -> bits != 0;
            case FLOAT -> Float.intBitsToFloat((int) bits);
            case DOUBLE -> Double.longBitsToDouble(bits);
            default -> throw new IllegalStateException("unknown key kind " + tag + " in a PHashMap entry");
        };
    }

    /**
     * Checks that a value can be stored in {@code space}.
     *
     * @throws IllegalArgumentException naming the class if it is neither a value nor a persistent object of this heap
     */
    static void requireStorableValue(Object value, ObjectSpace space, String where) {
        space.requireStorable(value, where);
    }
}
