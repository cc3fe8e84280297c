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
 * Offsets within nodes are {@link Shape}'s business: one shape for inline keys, one for keys held
 * by reference with an 8-byte prefix beside them.
 *
 * <pre>
 * leaf      LEAF_CAPACITY entries: key word, [key prefix,] value reference
 *           (the entry count is not in the leaf: it is the parent's count of this child, or the
 *           map's size for a root leaf; slots at and after the count are all zero)
 * inner     u64 child count at 0; then INNER_CAPACITY entries at 8: child reference, entries in
 *           that child's subtree, lower-bound key word, [key prefix]
 *           (entry 0's key word and prefix are always 0: the lower bound comes from an ancestor)
 * key bytes a BYTE array: u64 length, then the key's bytes (String keys in the order-preserving
 *           encoding of {@link StringOrder}); owned by the one leaf entry or inner entry that points at it
 * </pre>
 *
 * A key word is the key itself (Long, Integer, Double keys: an inline, order-preserving long) or a
 * reference (a key bytes block, or a persistent object). The prefix of a key bytes block is its
 * first 8 bytes, big-endian, zero-padded: most comparisons are decided by it without reading the
 * block (a cache miss each). The recovery GC must see references and only references, hence two
 * leaf and two inner types.
 */
final class SortedNodes {

    static final int LEAF_CAPACITY = 31;
    static final int INNER_CAPACITY = 63;
    static final int INNER_COUNT = 0;
    static final int INNER_ENTRIES = 8;

    /** Fewest entries a non-root node keeps when a sibling can take them in: below it, they merge. */
    static final int LEAF_MIN = LEAF_CAPACITY / 4;
    static final int INNER_MIN = INNER_CAPACITY / 4;

    static final String PREFIX = "io.jpmem.collections.PSortedMap$";

    /** Offsets within the nodes of one key layout. */
    static final class Shape {
        static final Shape INLINE = new Shape(true);
        static final Shape PREFIXED = new Shape(false);

        final boolean inline;
        /** Words per leaf entry: key, [prefix,] value. */
        final int leafWords;
        /** Words per inner entry: child, count, key, [prefix]. */
        final int innerWords;
        final int leafStride;
        final int innerStride;

        private Shape(boolean inline) {
            this.inline = inline;
            this.leafWords = inline ? 2 : 3;
            this.innerWords = inline ? 3 : 4;
            this.leafStride = 8 * leafWords;
            this.innerStride = 8 * innerWords;
        }

        static Shape of(SortedKeyKind kind) {
            return kind.inline() ? INLINE : PREFIXED;
        }

        int leafBytes() {
            return LEAF_CAPACITY * leafStride;
        }

        int innerBytes() {
            return INNER_ENTRIES + INNER_CAPACITY * innerStride;
        }

        long leafKey(long leaf, int i) {
            return leaf + (long) leafStride * i;
        }

        long leafValue(long leaf, int i) {
            return leaf + (long) leafStride * i + leafStride - 8;
        }

        long innerEntry(long inner, int i) {
            return inner + INNER_ENTRIES + (long) innerStride * i;
        }

        long innerChild(long inner, int i) {
            return innerEntry(inner, i);
        }

        long innerCount(long inner, int i) {
            return innerEntry(inner, i) + 8;
        }

        long innerKey(long inner, int i) {
            return innerEntry(inner, i) + 16;
        }
    }

    private static final Map<PersistentHeap, SortedNodes> BY_HEAP = new WeakHashMap<>();

    private final PersistentHeap heap;
    /** Registered on first use, so a heap's type table holds only the shapes its maps use (~3 KB each). */
    private volatile HeapType leafInline;
    private volatile HeapType leafRef;
    private volatile HeapType innerInline;
    private volatile HeapType innerRef;
    private volatile HeapType keyBytes;

    private SortedNodes(PersistentHeap heap) {
        this.heap = heap;
    }

    /** {@return the node types of {@code heap}} */
    static SortedNodes of(PersistentHeap heap) {
        synchronized (BY_HEAP) {
            return BY_HEAP.computeIfAbsent(heap, SortedNodes::new);
        }
    }

    HeapType leaf(boolean inline) {
        HeapType type = inline ? leafInline : leafRef;
        return type != null ? type : register(inline ? 0 : 1);
    }

    HeapType inner(boolean inline) {
        HeapType type = inline ? innerInline : innerRef;
        return type != null ? type : register(inline ? 2 : 3);
    }

    HeapType keyBytes() {
        HeapType type = keyBytes;
        return type != null ? type : register(4);
    }

    private synchronized HeapType register(int which) {
        return switch (which) {
            case 0 -> leafInline = heap.types().register(leaf("LeafInline", Shape.INLINE));
            case 1 -> leafRef = heap.types().register(leaf("LeafPrefixed", Shape.PREFIXED));
            case 2 -> innerInline = heap.types().register(inner("InnerInline", Shape.INLINE));
            case 3 -> innerRef = heap.types().register(inner("InnerPrefixed", Shape.PREFIXED));
            default -> keyBytes = heap.types().register(TypeLayout.ofArray(PREFIX + "KeyBytes", FieldKind.BYTE));
        };
    }

    private static TypeLayout leaf(String name, Shape shape) {
        List<FieldLayout> fields = new ArrayList<>();
        for (int i = 0; i < LEAF_CAPACITY; i++) {
            int at = shape.leafStride * i;
            fields.add(FieldLayout.of("k" + i, shape.inline ? FieldKind.LONG : FieldKind.REF, at));
            if (!shape.inline) {
                fields.add(FieldLayout.of("p" + i, FieldKind.LONG, at + 8));
            }
            fields.add(FieldLayout.of("v" + i, FieldKind.REF, at + shape.leafStride - 8));
        }
        return TypeLayout.ofRecord(PREFIX + name, shape.leafBytes(), fields.toArray(FieldLayout[]::new));
    }

    private static TypeLayout inner(String name, Shape shape) {
        List<FieldLayout> fields = new ArrayList<>();
        fields.add(FieldLayout.of("n", FieldKind.LONG, INNER_COUNT));
        for (int i = 0; i < INNER_CAPACITY; i++) {
            int at = INNER_ENTRIES + shape.innerStride * i;
            fields.add(FieldLayout.of("c" + i, FieldKind.REF, at));
            fields.add(FieldLayout.of("n" + i, FieldKind.LONG, at + 8));
            fields.add(FieldLayout.of("k" + i, shape.inline ? FieldKind.LONG : FieldKind.REF, at + 16));
            if (!shape.inline) {
                fields.add(FieldLayout.of("p" + i, FieldKind.LONG, at + 24));
            }
        }
        return TypeLayout.ofRecord(PREFIX + name, shape.innerBytes(), fields.toArray(FieldLayout[]::new));
    }
}
