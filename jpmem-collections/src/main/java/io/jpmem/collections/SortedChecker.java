package io.jpmem.collections;

import static io.jpmem.collections.SortedNodes.*;


import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The structural invariants of a {@link PSortedMap}, checked by walking every node (see {@link PSortedMap#checkStructure}). */
final class SortedChecker {

    private final PersistentHeap heap;
    private final long header;
    private final SortedKeyKind kind;
    private final Comparator<Object> comparator;
    private final ObjectSpace space;
    private final SortedNodes nodes;
    private final Shape shape;
    private final List<String> problems = new ArrayList<>();

    SortedChecker(PersistentHeap heap, long header, SortedKeyKind kind, Comparator<Object> comparator, ObjectSpace space) {
        this.heap = heap;
        this.header = header;
        this.kind = kind;
        this.comparator = comparator;
        this.space = space;
        this.nodes = SortedNodes.of(heap);
        this.shape = kind == null ? Shape.INLINE : Shape.of(kind);
    }

    List<String> check() {
        long root = heap.getRef(header + PSortedMap.ROOT);
        long size = heap.getLong(header + PSortedMap.SIZE);
        long meta = heap.getLong(header + PSortedMap.META);
        if (root == 0) {
            if (size != 0 || meta != 0) {
                problems.add("no root, but size " + size + " and meta " + meta);
            }
            return problems;
        }
        if (kind == null) {
            problems.add("a root but no key kind");
            return problems;
        }
        int height = PSortedMap.heightOf(meta);
        long total = walk(root, height, height, size, 0, false, 0, false);
        if (total != size) {
            problems.add("size " + size + " but the leaves hold " + total);
        }
        return problems;
    }

    /** {@return the entries under {@code node}} Checks it against {@code expected} entries and its key bounds. */
    private long walk(long node, int level, int height, long expected, long lo, boolean hasLo, long hi, boolean hasHi) {
        if (problems.size() > 20) {
            return expected;
        }
        int type = heap.blockTypeId(node);
        if (level == 0) {
            if (type != nodes.leaf(kind.inline()).id()) {
                problems.add("leaf " + node + " has type " + type);
                return expected;
            }
            if (expected < 1 || expected > LEAF_CAPACITY) {
                problems.add("leaf " + node + " counted as " + expected + " entries");
                return expected;
            }
            for (int i = 0; i < LEAF_CAPACITY; i++) {
                long k = heap.getLong(shape.leafKey(node, i));
                if (i >= expected) {
                    if (k != 0 || heap.getLong(shape.leafValue(node, i)) != 0 || !shape.inline && heap.getLong(shape.leafKey(node, i) + 8) != 0) {
                        problems.add("leaf " + node + " slot " + i + " beyond its " + expected + " entries is not zero");
                    }
                    continue;
                }
                checkKey(node, k, shape.leafKey(node, i));
                if (i > 0 && compare(heap.getLong(shape.leafKey(node, i - 1)), k) >= 0) {
                    problems.add("leaf " + node + " keys " + (i - 1) + " and " + i + " are not ascending");
                }
                if (hasLo && i == 0 && compare(lo, k) > 0) {
                    problems.add("leaf " + node + " first key is below its separator");
                }
                if (hasHi && compare(k, hi) >= 0) {
                    problems.add("leaf " + node + " key " + i + " is not below the next separator");
                }
            }
            return expected;
        }
        if (type != nodes.inner(kind.inline()).id()) {
            problems.add("inner node " + node + " has type " + type);
            return expected;
        }
        int n = (int) heap.getLong(node + INNER_COUNT);
        if (n < (level == height ? 2 : 1) || n > INNER_CAPACITY) {
            problems.add("inner node " + node + " (level " + level + ") has " + n + " children");
            return expected;
        }
        if (heap.getLong(shape.innerKey(node, 0)) != 0 || !shape.inline && heap.getLong(shape.innerKey(node, 0) + 8) != 0) {
            problems.add("inner node " + node + " entry 0 has a key");
        }
        long total = 0;
        for (int i = 0; i < INNER_CAPACITY; i++) {
            long child = heap.getRef(shape.innerChild(node, i));
            long count = heap.getLong(shape.innerCount(node, i));
            long k = heap.getLong(shape.innerKey(node, i));
            if (i >= n) {
                if (child != 0 || count != 0 || k != 0 || !shape.inline && heap.getLong(shape.innerKey(node, i) + 8) != 0) {
                    problems.add("inner node " + node + " slot " + i + " beyond its " + n + " children is not zero");
                }
                continue;
            }
            if (i > 0) {
                checkKey(node, k, shape.innerKey(node, i));
                if (i > 1 && compare(heap.getLong(shape.innerKey(node, i - 1)), k) >= 0) {
                    problems.add("inner node " + node + " separators " + (i - 1) + " and " + i + " are not ascending");
                }
                if (hasLo && compare(lo, k) >= 0 || hasHi && compare(k, hi) >= 0) {
                    problems.add("inner node " + node + " separator " + i + " is outside the node's bounds");
                }
            }
            long childLo = i == 0 ? lo : k;
            boolean childHasLo = i == 0 ? hasLo : true;
            long childHi = i + 1 < n ? heap.getLong(shape.innerKey(node, i + 1)) : hi;
            boolean childHasHi = i + 1 < n || hasHi;
            long below = walk(child, level - 1, height, count, childLo, childHasLo, childHi, childHasHi);
            if (level - 1 > 0) {
                long sum = 0;
                int m = (int) heap.getLong(child + INNER_COUNT);
                for (int j = 0; j < m && j < INNER_CAPACITY; j++) {
                    sum += heap.getLong(shape.innerCount(child, j));
                }
                if (sum != count) {
                    problems.add("inner node " + node + " counts " + count + " under child " + i + ", which holds " + sum);
                }
            }
            total += below;
        }
        if (total != expected) {
            problems.add("inner node " + node + " holds " + total + " entries, its parent says " + expected);
        }
        return total;
    }

    private void checkKey(long node, long word, long address) {
        if (kind.ownsBlock()) {
            if (word == 0 || !heap.isAllocated(word) || heap.blockTypeId(word) != nodes.keyBytes().id()) {
                problems.add("node " + node + " has key word " + word + ", not a key bytes block");
            } else if (heap.getLong(address + 8) != SortedProbe.prefixOf(SortedKeyKind.readBytes(heap, word))) {
                problems.add("node " + node + " key at " + address + " has a prefix that is not its first bytes");
            }
        } else if (kind == SortedKeyKind.OBJECT) {
            if (word == 0) {
                problems.add("node " + node + " has a null key");
            } else if (heap.getLong(address + 8) != 0) {
                problems.add("node " + node + " has a prefix beside an object key");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private int compare(long a, long b) {
        if (comparator != null) {
            return comparator.compare(kind.decode(heap, space, a), kind.decode(heap, space, b));
        }
        return switch (kind) {
            case LONG, INT, DOUBLE -> Long.compare(a, b);
            case STRING, BYTES -> Arrays.compareUnsigned(SortedKeyKind.readBytes(heap, a), SortedKeyKind.readBytes(heap, b));
            case OBJECT -> ((Comparable<Object>) space.load(a)).compareTo(space.load(b));
        };
    }
}
