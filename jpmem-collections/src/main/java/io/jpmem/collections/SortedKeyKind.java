package io.jpmem.collections;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;

/**
 * How {@link PSortedMap} keeps keys of one class in its key words, and how they compare (natural
 * ordering). A map's kind is fixed by its first key and recorded in its header.
 *
 * <ul>
 *   <li>{@link #LONG}, {@link #INT}, {@link #DOUBLE}: the key itself, inline, as a long whose signed
 *       order is the key's natural order ({@code Double.compare} order for doubles: -0.0 before 0.0,
 *       every NaN equal and last). Nothing is allocated.
 *   <li>{@link #STRING}, {@link #BYTES}: a key bytes block owned by the word (see {@link SortedNodes}),
 *       compared as unsigned bytes without building a Java object. Strings are encoded one UTF-16 unit
 *       at a time (units below 0x80 as 1 byte, below 0x800 as 2, others, surrogates included, as 3: the
 *       shape of UTF-8, so ASCII costs 1 byte), which makes byte order equal {@link String#compareTo}
 *       order; a supplementary character takes 6 bytes instead of UTF-8's 4.
 *   <li>{@link #OBJECT}: a reference to a persistent object that is {@link Comparable}; not owned (the
 *       map never frees it), compared through its handle.
 * </ul>
 */
enum SortedKeyKind {
    LONG, INT, DOUBLE, STRING, BYTES, OBJECT;

    private static final SortedKeyKind[] KINDS = values();

    /** {@return the kind recorded as {@code code} (ordinal + 1) in a map's header, or null for 0} */
    static SortedKeyKind ofCode(int code) {
        return code == 0 ? null : KINDS[code - 1];
    }

    /** {@return the code recorded in a map's header for this kind} */
    int code() {
        return ordinal() + 1;
    }

    /** {@return whether the key word is the key itself rather than a reference} */
    boolean inline() {
        return this == LONG || this == INT || this == DOUBLE;
    }

    /** {@return whether the map owns (and frees) what the key word references} */
    boolean ownsBlock() {
        return this == STRING || this == BYTES;
    }

    /**
     * {@return the kind for keys like {@code key} under natural ordering}
     *
     * @throws ClassCastException if {@code key} is of no supported kind
     */
    static SortedKeyKind of(Object key) {
        return switch (key) {
            case Long ignored -> LONG;
            case Integer ignored -> INT;
            case Double ignored -> DOUBLE;
            case String ignored -> STRING;
            case byte[] ignored -> BYTES;
            case PersistentObject ignored when key instanceof Comparable<?> -> OBJECT;
            default -> throw new ClassCastException("PSortedMap keys must be Long, Integer, Double, String, byte[] or a"
                    + " Comparable persistent object, not " + key.getClass().getName());
        };
    }

    /**
     * {@return {@code key} as this kind expects it}
     *
     * @throws ClassCastException if it is of another kind
     */
    Object check(Object key) {
        if (key == null) {
            throw new NullPointerException("PSortedMap keys are never null");
        }
        boolean ok = switch (this) {
            case LONG -> key instanceof Long;
            case INT -> key instanceof Integer;
            case DOUBLE -> key instanceof Double;
            case STRING -> key instanceof String;
            case BYTES -> key instanceof byte[];
            case OBJECT -> key instanceof PersistentObject && key instanceof Comparable<?>;
        };
        if (!ok) {
            throw new ClassCastException("this PSortedMap has " + this + " keys; " + key.getClass().getName()
                    + " cannot be compared with them");
        }
        return key;
    }

    /** {@return the inline word of a LONG, INT or DOUBLE key: signed order = natural order} */
    long inlineWord(Object key) {
        return switch (this) {
            case LONG -> (Long) key;
            case INT -> (Integer) key;
            case DOUBLE -> sortableBits((Double) key);
            default -> throw new IllegalStateException(this + " keys are not inline");
        };
    }

    static long sortableBits(double value) {
        long bits = Double.doubleToLongBits(value); // every NaN as the canonical one: all NaNs are equal
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    static double fromSortableBits(long word) {
        return Double.longBitsToDouble(word ^ ((word >> 63) & Long.MAX_VALUE));
    }

    /** {@return the bytes a STRING or BYTES key is stored as} */
    byte[] bytesOf(Object key) {
        return this == STRING ? StringOrder.encode((String) key) : (byte[]) key;
    }

    /**
     * {@return the key word for {@code key}, allocating its key bytes block in {@code tx} if it has one}
     * An OBJECT key must be a persistent object of {@code space}.
     */
    long store(Transaction tx, SortedNodes nodes, ObjectSpace space, Object key) {
        if (inline()) {
            return inlineWord(key);
        }
        if (this == OBJECT) {
            return space.refOf(key);
        }
        return storeBytes(tx, nodes, bytesOf(key));
    }

    static long storeBytes(Transaction tx, SortedNodes nodes, byte[] bytes) {
        long block = tx.allocateArray(nodes.keyBytes(), 8L + bytes.length);
        tx.putLong(block, bytes.length); // a new block: not logged
        tx.putBytes(block + 8, bytes, 0, bytes.length);
        return block;
    }

    /** {@return a copy of key word {@code word} for a separator: its own key bytes block if it has one} */
    long copy(Transaction tx, SortedNodes nodes, PersistentHeap heap, long word) {
        if (!ownsBlock()) {
            return word;
        }
        return storeBytes(tx, nodes, readBytes(heap, word));
    }

    /** Frees what key word {@code word} owns, at commit. */
    void release(Transaction tx, long word) {
        if (ownsBlock() && word != 0) {
            tx.free(word);
        }
    }

    /** {@return the key a key word stands for, as a new Java object (or the canonical handle)} */
    Object decode(PersistentHeap heap, ObjectSpace space, long word) {
        return switch (this) {
            case LONG -> word;
            case INT -> (int) word;
            case DOUBLE -> fromSortableBits(word);
            case STRING -> StringOrder.decode(readBytes(heap, word));
            case BYTES -> readBytes(heap, word);
            case OBJECT -> space.load(word);
        };
    }

    static byte[] readBytes(PersistentHeap heap, long block) {
        byte[] bytes = new byte[Math.toIntExact(heap.getLong(block))];
        heap.getBytes(block + 8, bytes, 0, bytes.length);
        return bytes;
    }
}
