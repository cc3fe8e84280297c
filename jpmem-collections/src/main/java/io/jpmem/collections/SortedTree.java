package io.jpmem.collections;

import static io.jpmem.collections.SortedNodes.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;

/**
 * The mutations of {@link PSortedMap}'s B+tree, on raw offsets, inside a transaction the caller
 * provides. Each leaves the tree whole (keys ordered, counts exact, unused slots zero) when the
 * transaction commits; a crash before rolls every store back (undo log) and drops every allocation
 * and free (published only at commit).
 *
 * <h2>What each logs</h2>
 * <ul>
 *   <li>insert without split: one snapshot of the leaf entries that shift (the new slot included),
 *       one 8-byte entry per inner level for the child's count, one for the size: {@code height + 2}
 *       undo entries, hence fences;
 *   <li>a split adds one allocation (the right node, new: not logged), one snapshot of the entries
 *       that leave the left node, and in the parent one snapshot of the shifted entries and its child
 *       count; a root split allocates the new root and logs the header's root and height;
 *   <li>remove: the same shape, with merges of a node that fell below a quarter into a sibling
 *       (snapshot of the receiving slots, free of the emptied node, removal from the parent).
 * </ul>
 */
final class SortedTree {

    private final PersistentHeap heap;
    private final long header;
    private final SortedNodes nodes;

    SortedTree(PersistentHeap heap, long header, SortedNodes nodes) {
        this.heap = heap;
        this.header = header;
        this.nodes = nodes;
    }

    private long get(long at) {
        return heap.getLong(at);
    }

    private long meta() {
        return get(header + PSortedMap.META);
    }

    private void setHeight(Transaction tx, int height) {
        long meta = meta();
        tx.putLong(header + PSortedMap.META, (meta & 0xFF) | (long) height << 8);
    }

    /**
     * Inserts a new entry at the position {@code c} found (its key absent).
     *
     * @param keyWord the key word, already stored (owned by the leaf from now on)
     * @param valueWord the value reference, already stored
     */
    void insert(Transaction tx, SortedCursor c, SortedKeyKind kind, long keyWord, long valueWord) {
        boolean inline = kind.inline();
        long size = get(header + PSortedMap.SIZE);
        if (c.node[0] == 0) {
            long leaf = tx.allocate(nodes.leaf(inline));
            tx.putLong(leafKey(leaf, 0), keyWord);
            tx.putLong(leafValue(leaf, 0), valueWord);
            tx.putRef(header + PSortedMap.ROOT, leaf);
            setHeight(tx, 0);
            tx.putLong(header + PSortedMap.SIZE, 1);
            return;
        }
        long leaf = c.node[0];
        int n = c.count[0];
        int p = c.index[0];
        long carry = 0;
        long carryCount = 0;
        long carryKey = 0;
        long leftCount = 0;
        if (n < LEAF_CAPACITY) {
            tx.snapshot(leafKey(leaf, p), (long) LEAF_ENTRY_BYTES * (n - p + 1));
            for (int i = n; i > p; i--) {
                tx.putLong(leafKey(leaf, i), get(leafKey(leaf, i - 1)));
                tx.putLong(leafValue(leaf, i), get(leafValue(leaf, i - 1)));
            }
            tx.putLong(leafKey(leaf, p), keyWord);
            tx.putLong(leafValue(leaf, p), valueWord);
        } else {
            long[] keys = new long[n + 1];
            long[] values = new long[n + 1];
            for (int i = 0, from = 0; i <= n; i++) {
                if (i == p) {
                    keys[i] = keyWord;
                    values[i] = valueWord;
                } else {
                    keys[i] = get(leafKey(leaf, from));
                    values[i] = get(leafValue(leaf, from));
                    from++;
                }
            }
            int half = (n + 1) / 2;
            long right = tx.allocate(nodes.leaf(inline));
            for (int i = half; i <= n; i++) {
                tx.putLong(leafKey(right, i - half), keys[i]);
                tx.putLong(leafValue(right, i - half), values[i]);
            }
            int from = Math.min(p, half);
            tx.snapshot(leafKey(leaf, from), (long) LEAF_ENTRY_BYTES * (n - from));
            for (int i = from; i < n; i++) {
                tx.putLong(leafKey(leaf, i), i < half ? keys[i] : 0);
                tx.putLong(leafValue(leaf, i), i < half ? values[i] : 0);
            }
            carry = right;
            carryCount = n + 1 - half;
            leftCount = half;
            carryKey = kind.copy(tx, nodes, heap, keys[half]);
        }
        for (int level = 1; level <= c.height; level++) {
            long node = c.node[level];
            int i = c.index[level];
            if (carry == 0) {
                tx.putLong(innerCount(node, i), get(innerCount(node, i)) + 1);
                continue;
            }
            int m = c.count[level];
            if (m < INNER_CAPACITY) {
                tx.snapshot(innerEntry(node, i), (long) INNER_ENTRY_BYTES * (m - i + 1));
                for (int j = m; j > i + 1; j--) {
                    tx.putLong(innerChild(node, j), get(innerChild(node, j - 1)));
                    tx.putLong(innerCount(node, j), get(innerCount(node, j - 1)));
                    tx.putLong(innerKey(node, j), get(innerKey(node, j - 1)));
                }
                tx.putLong(innerCount(node, i), leftCount);
                tx.putLong(innerChild(node, i + 1), carry);
                tx.putLong(innerCount(node, i + 1), carryCount);
                tx.putLong(innerKey(node, i + 1), carryKey);
                tx.putLong(node + INNER_COUNT, m + 1);
                carry = 0;
                continue;
            }
            long[] children = new long[m + 1];
            long[] counts = new long[m + 1];
            long[] keys = new long[m + 1];
            for (int j = 0, from = 0; j <= m; j++) {
                if (j == i + 1) {
                    children[j] = carry;
                    counts[j] = carryCount;
                    keys[j] = carryKey;
                } else {
                    children[j] = get(innerChild(node, from));
                    counts[j] = from == i ? leftCount : get(innerCount(node, from));
                    keys[j] = get(innerKey(node, from));
                    from++;
                }
            }
            int half = (m + 1) / 2;
            long right = tx.allocate(nodes.inner(inline));
            long rightTotal = 0;
            for (int j = half; j <= m; j++) {
                tx.putLong(innerChild(right, j - half), children[j]);
                tx.putLong(innerCount(right, j - half), counts[j]);
                tx.putLong(innerKey(right, j - half), j == half ? 0 : keys[j]); // keys[half] moves up
                rightTotal += counts[j];
            }
            tx.putLong(right + INNER_COUNT, m + 1 - half);
            int from = Math.min(i, half);
            tx.snapshot(innerEntry(node, from), (long) INNER_ENTRY_BYTES * (m - from));
            long leftTotal = 0;
            for (int j = 0; j < m; j++) {
                if (j < half) {
                    leftTotal += counts[j];
                }
                if (j >= from) {
                    tx.putLong(innerChild(node, j), j < half ? children[j] : 0);
                    tx.putLong(innerCount(node, j), j < half ? counts[j] : 0);
                    tx.putLong(innerKey(node, j), j < half ? keys[j] : 0);
                }
            }
            tx.putLong(node + INNER_COUNT, half);
            carry = right;
            carryCount = rightTotal;
            carryKey = keys[half];
            leftCount = leftTotal;
        }
        if (carry != 0) {
            long oldRoot = c.node[c.height];
            long root = tx.allocate(nodes.inner(inline));
            tx.putLong(innerChild(root, 0), oldRoot);
            tx.putLong(innerCount(root, 0), leftCount);
            tx.putLong(innerChild(root, 1), carry);
            tx.putLong(innerCount(root, 1), carryCount);
            tx.putLong(innerKey(root, 1), carryKey);
            tx.putLong(root + INNER_COUNT, 2);
            tx.putRef(header + PSortedMap.ROOT, root);
            setHeight(tx, c.height + 1);
        }
        tx.putLong(header + PSortedMap.SIZE, size + 1);
    }

    /**
     * Removes the entry {@code c} is on and frees its key bytes (the value is the caller's). Merges
     * underfull nodes, shrinks the root, and when the map becomes empty frees the last node and
     * forgets the key kind.
     */
    void remove(Transaction tx, SortedCursor c, SortedKeyKind kind) {
        long leaf = c.node[0];
        int n = c.count[0];
        int p = c.index[0];
        kind.release(tx, get(leafKey(leaf, p)));
        tx.snapshot(leafKey(leaf, p), (long) LEAF_ENTRY_BYTES * (n - p));
        for (int i = p; i < n - 1; i++) {
            tx.putLong(leafKey(leaf, i), get(leafKey(leaf, i + 1)));
            tx.putLong(leafValue(leaf, i), get(leafValue(leaf, i + 1)));
        }
        tx.putLong(leafKey(leaf, n - 1), 0);
        tx.putLong(leafValue(leaf, n - 1), 0);
        for (int level = 1; level <= c.height; level++) {
            long at = innerCount(c.node[level], c.index[level]);
            tx.putLong(at, get(at) - 1);
        }
        long size = get(header + PSortedMap.SIZE) - 1;
        tx.putLong(header + PSortedMap.SIZE, size);
        rebalance(tx, c, kind);
        shrinkRoot(tx, size);
    }

    private void rebalance(Transaction tx, SortedCursor c, SortedKeyKind kind) {
        for (int level = 0; level < c.height; level++) {
            long parent = c.node[level + 1];
            int i = c.index[level + 1];
            int siblings = (int) get(parent + INNER_COUNT);
            int entries = entriesOf(parent, i, level);
            if (entries >= (level == 0 ? LEAF_MIN : INNER_MIN)) {
                return;
            }
            if (siblings > 1) {
                int a = i + 1 < siblings ? i : i - 1;
                if (entriesOf(parent, a, level) + entriesOf(parent, a + 1, level) <= (level == 0 ? LEAF_CAPACITY : INNER_CAPACITY)) {
                    merge(tx, parent, a, level, kind);
                    continue;
                }
            }
            if (entries != 0) {
                return;
            }
            tx.free(get(innerChild(parent, i)));
            if (i > 0) {
                kind.release(tx, get(innerKey(parent, i)));
            } else if (siblings > 1) {
                kind.release(tx, get(innerKey(parent, 1)));
            }
            removeInnerEntry(tx, parent, i, siblings);
        }
    }

    private int entriesOf(long parent, int i, int childLevel) {
        return childLevel == 0 ? (int) get(innerCount(parent, i)) : (int) get(get(innerChild(parent, i)) + INNER_COUNT);
    }

    /** Moves child {@code a + 1}'s entries into child {@code a} and frees it. */
    private void merge(Transaction tx, long parent, int a, int childLevel, SortedKeyKind kind) {
        long left = get(innerChild(parent, a));
        long right = get(innerChild(parent, a + 1));
        long separator = get(innerKey(parent, a + 1));
        if (childLevel == 0) {
            int ca = (int) get(innerCount(parent, a));
            int cb = (int) get(innerCount(parent, a + 1));
            if (cb > 0) {
                tx.snapshot(leafKey(left, ca), (long) LEAF_ENTRY_BYTES * cb);
            }
            for (int j = 0; j < cb; j++) {
                tx.putLong(leafKey(left, ca + j), get(leafKey(right, j)));
                tx.putLong(leafValue(left, ca + j), get(leafValue(right, j)));
            }
            kind.release(tx, separator);
        } else {
            int na = (int) get(left + INNER_COUNT);
            int nb = (int) get(right + INNER_COUNT);
            if (nb > 0) {
                tx.snapshot(innerEntry(left, na), (long) INNER_ENTRY_BYTES * nb);
            }
            for (int j = 0; j < nb; j++) {
                tx.putLong(innerChild(left, na + j), get(innerChild(right, j)));
                tx.putLong(innerCount(left, na + j), get(innerCount(right, j)));
                tx.putLong(innerKey(left, na + j), j == 0 ? separator : get(innerKey(right, j))); // the separator moves down
            }
            tx.putLong(left + INNER_COUNT, na + nb);
        }
        tx.free(right);
        tx.putLong(innerCount(parent, a), get(innerCount(parent, a)) + get(innerCount(parent, a + 1)));
        removeInnerEntry(tx, parent, a + 1, (int) get(parent + INNER_COUNT));
    }

    /** Removes entry {@code i} of an inner node with {@code n} entries; entry 0's key stays 0. */
    private void removeInnerEntry(Transaction tx, long node, int i, int n) {
        tx.snapshot(innerEntry(node, i), (long) INNER_ENTRY_BYTES * (n - i));
        for (int j = i; j < n - 1; j++) {
            tx.putLong(innerChild(node, j), get(innerChild(node, j + 1)));
            tx.putLong(innerCount(node, j), get(innerCount(node, j + 1)));
            tx.putLong(innerKey(node, j), j == 0 ? 0 : get(innerKey(node, j + 1)));
        }
        tx.putLong(innerChild(node, n - 1), 0);
        tx.putLong(innerCount(node, n - 1), 0);
        tx.putLong(innerKey(node, n - 1), 0);
        tx.putLong(node + INNER_COUNT, n - 1);
    }

    private void shrinkRoot(Transaction tx, long size) {
        while (true) {
            long root = get(header + PSortedMap.ROOT);
            int height = PSortedMap.heightOf(meta());
            if (root == 0) {
                return;
            }
            if (height == 0) {
                if (size == 0) {
                    tx.free(root);
                    tx.putRef(header + PSortedMap.ROOT, 0);
                    tx.putLong(header + PSortedMap.META, 0);
                }
                return;
            }
            long n = get(root + INNER_COUNT);
            if (n > 1) {
                return;
            }
            tx.free(root);
            tx.putRef(header + PSortedMap.ROOT, n == 0 ? 0 : get(innerChild(root, 0)));
            if (n == 0) {
                tx.putLong(header + PSortedMap.META, 0);
                return;
            }
            setHeight(tx, height - 1);
        }
    }

    /** Frees every node, key bytes block and (through {@code values}) value of the map; empties it. */
    void clear(Transaction tx, SortedKeyKind kind, java.util.function.LongConsumer values) {
        long root = get(header + PSortedMap.ROOT);
        if (root != 0) {
            freeSubtree(tx, root, PSortedMap.heightOf(meta()), get(header + PSortedMap.SIZE), kind, values);
        }
        tx.putRef(header + PSortedMap.ROOT, 0);
        tx.putLong(header + PSortedMap.SIZE, 0);
        tx.putLong(header + PSortedMap.META, 0);
    }

    private void freeSubtree(Transaction tx, long node, int level, long entries, SortedKeyKind kind,
                             java.util.function.LongConsumer values) {
        if (level == 0) {
            for (int i = 0; i < entries; i++) {
                kind.release(tx, get(leafKey(node, i)));
                values.accept(get(leafValue(node, i)));
            }
        } else {
            int n = (int) get(node + INNER_COUNT);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    kind.release(tx, get(innerKey(node, i)));
                }
                freeSubtree(tx, get(innerChild(node, i)), level - 1, get(innerCount(node, i)), kind, values);
            }
        }
        tx.free(node);
    }
}
