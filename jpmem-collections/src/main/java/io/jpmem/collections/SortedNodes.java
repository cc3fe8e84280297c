package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The block layouts of {@link PSortedMap}'s B+tree and their heap types, registered once per heap.
 *
 * <pre>
 * leaf      LEAF_CAPACITY entries of 16 bytes: key word at 16 i, value reference at 16 i + 8
 *           (the entry count is not in the leaf: it is the parent's count of this child, or the
 *           map's size for a root leaf; slots at and after the count are all zero)
 * inner     u64 child count at 0; then INNER_CAPACITY entries of 24 bytes at 8 + 24 i:
 *           child reference, entries in that child's subtree, lower-bound key word of the child
 *           (entry 0's key word is always 0: the lower bound comes from an ancestor)
 * key bytes a BYTE array: u64 length, then the key's bytes (String keys in the order-preserving
 *           encoding of {@link SortedKeyKind#STRING}); owned by the one leaf entry or inner entry
 *           that points at it
 * </pre>
 *
 * A key word is the key itself (Long, Integer, Double keys: an inline, order-preserving long) or a
 * reference (a key bytes block, or a persistent object), so there are two leaf and two inner types:
 * the recovery GC must see references and only references.
 */
final class SortedNodes {

    static final int LEAF_CAPACITY = 31;
    static final int LEAF_ENTRY_BYTES = 16;
    static final int LEAF_BYTES = LEAF_CAPACITY * LEAF_ENTRY_BYTES; // 496: a 512-byte slot

    static final int INNER_CAPACITY = 63;
    static final int INNER_ENTRY_BYTES = 24;
    static final int INNER_COUNT = 0;
    static final int INNER_ENTRIES = 8;
    static final int INNER_BYTES = INNER_ENTRIES + INNER_CAPACITY * INNER_ENTRY_BYTES; // 1520: a 1536-byte slot

    /** Fewest entries a non-root node keeps when a sibling can take them in: below it, they merge. */
    static final int LEAF_MIN = LEAF_CAPACITY / 4;
    static final int INNER_MIN = INNER_CAPACITY / 4;

    static final String PREFIX = "io.jpmem.collections.PSortedMap$";

    private static final Map<PersistentHeap, SortedNodes> BY_HEAP = new WeakHashMap<>();

    final HeapType leafInline;
    final HeapType leafRef;
    final HeapType innerInline;
    final HeapType innerRef;
    final HeapType keyBytes;

    private SortedNodes(PersistentHeap heap) {
        leafInline = heap.types().register(leaf("LeafInline", FieldKind.LONG));
        leafRef = heap.types().register(leaf("LeafRef", FieldKind.REF));
        innerInline = heap.types().register(inner("InnerInline", FieldKind.LONG));
        innerRef = heap.types().register(inner("InnerRef", FieldKind.REF));
        keyBytes = heap.types().register(TypeLayout.ofArray(PREFIX + "KeyBytes", FieldKind.BYTE));
    }

    /** {@return the node types of {@code heap}, registered on first use} */
    static SortedNodes of(PersistentHeap heap) {
        synchronized (BY_HEAP) {
            return BY_HEAP.computeIfAbsent(heap, SortedNodes::new);
        }
    }

    HeapType leaf(boolean inline) {
        return inline ? leafInline : leafRef;
    }

    HeapType inner(boolean inline) {
        return inline ? innerInline : innerRef;
    }

    static long leafKey(long leaf, int i) {
        return leaf + (long) LEAF_ENTRY_BYTES * i;
    }

    static long leafValue(long leaf, int i) {
        return leaf + (long) LEAF_ENTRY_BYTES * i + 8;
    }

    static long innerEntry(long inner, int i) {
        return inner + INNER_ENTRIES + (long) INNER_ENTRY_BYTES * i;
    }

    static long innerChild(long inner, int i) {
        return innerEntry(inner, i);
    }

    static long innerCount(long inner, int i) {
        return innerEntry(inner, i) + 8;
    }

    static long innerKey(long inner, int i) {
        return innerEntry(inner, i) + 16;
    }

    private static TypeLayout leaf(String name, FieldKind keyKind) {
        List<FieldLayout> fields = new ArrayList<>();
        for (int i = 0; i < LEAF_CAPACITY; i++) {
            fields.add(FieldLayout.of("k" + i, keyKind, LEAF_ENTRY_BYTES * i));
            fields.add(FieldLayout.of("v" + i, FieldKind.REF, LEAF_ENTRY_BYTES * i + 8));
        }
        return TypeLayout.ofRecord(PREFIX + name, LEAF_BYTES, fields.toArray(FieldLayout[]::new));
    }

    private static TypeLayout inner(String name, FieldKind keyKind) {
        List<FieldLayout> fields = new ArrayList<>();
        fields.add(FieldLayout.of("n", FieldKind.LONG, INNER_COUNT));
        for (int i = 0; i < INNER_CAPACITY; i++) {
            int at = INNER_ENTRIES + INNER_ENTRY_BYTES * i;
            fields.add(FieldLayout.of("c" + i, FieldKind.REF, at));
            fields.add(FieldLayout.of("n" + i, FieldKind.LONG, at + 8));
            fields.add(FieldLayout.of("k" + i, keyKind, at + 16));
        }
        return TypeLayout.ofRecord(PREFIX + name, INNER_BYTES, fields.toArray(FieldLayout[]::new));
    }
}
